//! The deployment files in `infra/`: the compose stack passes `docker compose config`
//! (Docker Compose v2 itself; `cargo xtask test` installs its plugin) and, read back from
//! Compose's own normalised output, is wired for scale-out; the load balancer's
//! configuration and the Dockerfile agree with it. No Docker engine is needed: nothing is
//! built, pulled or started.
//!
//! A missing `docker compose` fails these tests; it never skips them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use coboard_e2e::root;
use serde_json::Value;

fn compose_file() -> PathBuf {
    root().join("infra/docker-compose.yml")
}

/// `docker compose -f FILE ARGS`, with `env` set and nothing else from the caller's
/// environment that Compose would read into the result.
fn docker_compose(file: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("docker");
    cmd.arg("compose").arg("-f").arg(file).args(args);
    for var in [
        "POSTGRES_PASSWORD",
        "COMPOSE_PROJECT_NAME",
        "COMPOSE_PROFILES",
        "COMPOSE_ENV_FILES",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap_or_else(|e| {
        panic!(
            "cannot run `docker` ({e}). These tests need the Docker CLI with the Compose v2 \
             plugin; `cargo xtask test` installs the plugin (infra/xtask: ensure_docker_compose)."
        )
    })
}

/// Fails the test, with what to do, when `docker compose` is not installed.
fn require_compose() {
    let out = docker_compose(&compose_file(), &["version"], &[]);
    assert!(
        out.status.success(),
        "Docker Compose v2 is missing: `docker compose version` failed:\n{}\n\
         `cargo xtask test` installs it (infra/xtask: ensure_docker_compose).",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The stack as Compose itself resolves it: anchors merged, variables substituted, paths
/// made absolute.
fn normalised(env: &[(&str, &str)]) -> Value {
    require_compose();
    let out = docker_compose(&compose_file(), &["config", "--format", "json"], env);
    assert!(
        out.status.success(),
        "docker compose config failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("docker compose config --format json")
}

fn coboard_services(stack: &Value) -> Vec<(&String, &Value)> {
    let services = stack["services"].as_object().expect("services");
    services
        .iter()
        .filter(|(name, _)| name.starts_with("coboard-"))
        .collect()
}

/// Seconds in a Go duration as Compose prints it ("30s", "1m30s").
fn seconds(duration: &str) -> f64 {
    let (mut total, mut number) = (0.0, String::new());
    let mut chars = duration.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = match (c, chars.peek()) {
            ('m', Some('s')) => {
                chars.next();
                0.001
            }
            ('h', _) => 3600.0,
            ('m', _) => 60.0,
            ('s', _) => 1.0,
            _ => panic!("unexpected duration {duration:?}"),
        };
        total += number.parse::<f64>().expect("duration number") * unit;
        number.clear();
    }
    total
}

/// The service name in a URL's host part: `scheme://[user:password@]host[:port][/path]`.
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").expect("a URL").1;
    let authority = rest.split('/').next().unwrap();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host_port.split(':').next().unwrap()
}

#[test]
fn compose_file_passes_docker_compose_config() {
    require_compose();
    let out = docker_compose(&compose_file(), &["config", "--quiet"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "docker compose config failed:\n{stderr}"
    );
    // Not even a warning: an obsolete attribute, or a variable with no default, shows here.
    assert!(
        stderr.trim().is_empty(),
        "docker compose config warned:\n{stderr}"
    );
}

/// The validator really validates: a typo'd key and a dependency on a missing service are
/// refused, so a pass above means something.
#[test]
fn docker_compose_config_refuses_a_broken_file() {
    require_compose();
    let original = std::fs::read_to_string(compose_file()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (what, from, to, expect) in [
        (
            "a typo'd key",
            "stop_grace_period:",
            "stop_grace_periodd:",
            "stop_grace_periodd",
        ),
        (
            "a missing dependency",
            "\n  redis:\n",
            "\n  cache:\n",
            "undefined service",
        ),
    ] {
        assert!(
            original.contains(from),
            "{what}: {from:?} is not in the file"
        );
        let broken = dir.path().join("docker-compose.yml");
        std::fs::write(&broken, original.replacen(from, to, 1)).unwrap();
        let out = docker_compose(&broken, &["config", "--quiet"], &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{what} was accepted");
        assert!(
            stderr.contains(expect),
            "{what}: unexpected error:\n{stderr}"
        );
    }
}

#[test]
fn the_stack_is_wired_for_scale_out() {
    let root = root().canonicalize().unwrap();
    for password in [None, Some("not-the-default")] {
        let env: Vec<(&str, &str)> = password
            .map(|p| ("POSTGRES_PASSWORD", p))
            .into_iter()
            .collect();
        let stack = normalised(&env);
        let services = stack["services"].as_object().unwrap();
        for name in ["redis", "postgres", "lb"] {
            assert!(services.contains_key(name), "no {name} service");
        }

        let pg = &services["postgres"];
        assert!(pg["image"].as_str().unwrap().starts_with("postgres:16"));
        assert_eq!(pg["environment"]["POSTGRES_DB"], "coboard");
        if let Some(p) = password {
            assert_eq!(pg["environment"]["POSTGRES_PASSWORD"], p);
        }
        assert!(
            pg["volumes"].as_array().is_some_and(|v| v
                .iter()
                .any(|m| m["type"] == "volume" && m["target"] == "/var/lib/postgresql/data")),
            "PostgreSQL's data is not on a named volume: {}",
            pg["volumes"]
        );
        assert!(
            services["redis"]["image"]
                .as_str()
                .unwrap()
                .starts_with("redis:7")
        );

        let instances = coboard_services(&stack);
        assert!(
            instances.len() >= 2,
            "scale-out needs two or more instances"
        );
        let mut ids = BTreeSet::new();
        for (name, svc) in &instances {
            let build = &svc["build"];
            assert_eq!(
                Path::new(build["context"].as_str().unwrap())
                    .canonicalize()
                    .unwrap(),
                root,
                "{name}: the build context must be the workspace"
            );
            assert_eq!(build["dockerfile"], "infra/Dockerfile", "{name}");
            assert!(
                seconds(svc["stop_grace_period"].as_str().unwrap_or("10s")) >= 20.0,
                "{name}: a graceful shutdown takes up to 20 s"
            );

            let env = &svc["environment"];
            let db = env["COBOARD_DATABASE_URL"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no COBOARD_DATABASE_URL"));
            let redis = env["COBOARD_REDIS_URL"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no COBOARD_REDIS_URL"));
            assert!(db.starts_with("postgres://"), "{name}: {db}");
            assert!(redis.starts_with("redis://"), "{name}: {redis}");
            // The URL's credentials and database are the ones PostgreSQL is set up with.
            let pg_env = &pg["environment"];
            let expected = format!(
                "postgres://{}:{}@{}:5432/{}",
                pg_env["POSTGRES_USER"].as_str().unwrap_or("postgres"),
                pg_env["POSTGRES_PASSWORD"].as_str().unwrap(),
                url_host(db),
                pg_env["POSTGRES_DB"].as_str().unwrap(),
            );
            assert_eq!(db, expected, "{name}");
            // Each URL names a service of the stack, which the instance waits for until
            // its health check passes.
            for url in [db, redis] {
                let host = url_host(url);
                assert!(
                    services.contains_key(host),
                    "{name}: {url} names no service"
                );
                assert_eq!(
                    svc["depends_on"][host]["condition"], "service_healthy",
                    "{name} must wait for {host} to be healthy"
                );
                assert!(
                    services[host]["healthcheck"]["test"].is_array(),
                    "{host} has no health check"
                );
            }
            let id = env["COBOARD_INSTANCE_ID"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no COBOARD_INSTANCE_ID"));
            assert!(ids.insert(id.to_owned()), "instance id {id} used twice");
        }

        let lb = &services["lb"];
        assert!(lb["image"].as_str().unwrap().starts_with("nginx:"));
        let ports = lb["ports"].as_array().expect("lb publishes a port");
        assert!(
            ports
                .iter()
                .any(|p| p["published"] == "8080" && p["target"] == 8080),
            "lb does not publish 8080: {ports:?}"
        );
        let conf = lb["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["target"] == "/etc/nginx/nginx.conf")
            .expect("nginx.conf is mounted");
        assert_eq!(
            Path::new(conf["source"].as_str().unwrap())
                .canonicalize()
                .unwrap(),
            root.join("infra/nginx.conf")
        );
        for (name, _) in &instances {
            assert!(
                lb["depends_on"].get(name.as_str()).is_some(),
                "lb does not wait for {name}"
            );
        }
        // Only the load balancer is reachable from outside.
        for (name, svc) in services {
            if name != "lb" {
                assert!(svc.get("ports").is_none(), "{name} publishes a port");
            }
        }
    }
}

/// nginx.conf without its comments.
fn nginx_conf() -> String {
    std::fs::read_to_string(root().join("infra/nginx.conf"))
        .unwrap()
        .lines()
        .map(|l| l.split('#').next().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The statement starting with `directive` and running to its `;` or `{`.
fn statements<'a>(conf: &'a str, directive: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = conf;
    while let Some(at) = rest.find(directive) {
        let before = rest[..at].chars().next_back();
        let tail = &rest[at..];
        let end = tail.find([';', '{']).unwrap_or(tail.len());
        if before.is_none_or(char::is_whitespace) && tail[directive.len()..].starts_with(' ') {
            found.push(&tail[..end]);
        }
        rest = &tail[end.max(1)..];
    }
    found
}

#[test]
fn nginx_balances_every_instance_and_keeps_tokens_out_of_logs() {
    let conf = nginx_conf();
    let stack = normalised(&[]);

    // The upstream lists exactly the stack's instances.
    let servers: BTreeSet<String> = statements(&conf, "server")
        .iter()
        .filter_map(|s| s.split_whitespace().nth(1))
        .filter(|addr| addr.contains(':'))
        .map(|addr| addr.split(':').next().unwrap().to_owned())
        .collect();
    let instances: BTreeSet<String> = coboard_services(&stack)
        .into_iter()
        .map(|(n, _)| n.clone())
        .collect();
    assert_eq!(
        servers, instances,
        "nginx's upstream and the compose services"
    );

    // WebSockets pass through.
    for needed in [
        "proxy_http_version 1.1",
        "proxy_set_header Upgrade $http_upgrade",
        "proxy_set_header Connection $connection_upgrade",
        "proxy_set_header X-Forwarded-For",
    ] {
        assert!(conf.contains(needed), "nginx.conf lacks `{needed}`");
    }
    let ws = conf.find("location /ws/").expect("a /ws/ location");
    let ws_block = &conf[ws..ws + conf[ws..].find('}').unwrap()];
    assert!(ws_block.contains("proxy_read_timeout"), "{ws_block}");

    // Invite tokens are in /ws/ query strings: no log format may include one.
    let formats = statements(&conf, "log_format");
    assert!(!formats.is_empty());
    for format in &formats {
        for var in format.split('$').skip(1) {
            let var: String = var
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(
                !matches!(
                    var.as_str(),
                    "request"
                        | "request_uri"
                        | "args"
                        | "query_string"
                        | "is_args"
                        | "http_referer"
                ) && !var.starts_with("arg_"),
                "log_format logs ${var}, which can carry a token: {format}"
            );
        }
    }
    let named: Vec<&str> = formats
        .iter()
        .filter_map(|f| f.split_whitespace().nth(1))
        .collect();
    let logs = statements(&conf, "access_log");
    assert!(
        !logs.is_empty(),
        "no access_log: nginx's default logs $request"
    );
    for log in logs {
        let format = log.split_whitespace().nth(2);
        assert!(
            log.split_whitespace().nth(1) == Some("off")
                || format.is_some_and(|f| named.contains(&f)),
            "`{log}` does not use a format defined here"
        );
    }

    // /metrics is not served to the outside.
    let metrics = conf
        .find("location = /metrics")
        .expect("a /metrics location");
    let block = &conf[metrics..metrics + conf[metrics..].find('}').unwrap()];
    assert!(
        block.contains("return 404") || block.contains("deny all"),
        "{block}"
    );
}

#[test]
fn the_image_uses_the_workspace_toolchain_and_port() {
    let dockerfile = std::fs::read_to_string(root().join("infra/Dockerfile")).unwrap();
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let rust_version = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("rust-version = "))
        .expect("workspace rust-version")
        .trim_matches('"');
    assert!(
        dockerfile.contains(&format!("FROM rust:{rust_version}-")),
        "the builder image must be Rust {rust_version}, the workspace's rust-version"
    );
    for needed in [
        "COBOARD_BIND=0.0.0.0:8080",
        "EXPOSE 8080",
        "/healthz",
        "USER coboard",
    ] {
        assert!(
            dockerfile.contains(needed),
            "infra/Dockerfile lacks `{needed}`"
        );
    }
    let ignore = std::fs::read_to_string(root().join(".dockerignore")).unwrap();
    for excluded in ["target", ".git", "**/node_modules"] {
        assert!(
            ignore.lines().any(|l| l.trim() == excluded),
            ".dockerignore does not exclude {excluded}"
        );
    }
}
