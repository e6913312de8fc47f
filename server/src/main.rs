//! `coboard`: parses configuration and runs the server.

use anyhow::Context;
use clap::Parser;
use coboard_server::config::{Cli, Command, ExportArgs};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("COBOARD_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    // Whatever the server writes (the store, a board exported with `coboard export`) is
    // for its own user alone: boards hold people's words and access needs.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    match Cli::parse().command {
        Command::Serve(args) => {
            let listener = tokio::net::TcpListener::bind(args.bind)
                .await
                .with_context(|| format!("cannot listen on {}", args.bind))?;
            let addr = listener.local_addr()?;
            // Said once the store is open and the cluster started, not before: tests and
            // scripts read this line to learn the port (when binding port 0) and take it
            // to mean the server takes requests.
            let ready = move || println!("Coboard is running at http://{addr}/");
            coboard_server::run(*args, listener, ready, shutdown_signal()).await?;
            Ok(())
        }
        Command::Export(args) => export(args).await,
    }
}

/// `coboard export`: reads the board from the store and writes one file.
async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let store = coboard_server::store::open(args.database_url.as_deref(), &args.data_dir)
        .await
        .with_context(|| match &args.database_url {
            Some(_) => "cannot open the PostgreSQL store".to_owned(),
            None => format!("cannot open the store in {}", args.data_dir.display()),
        })?;
    let scope = coboard_shared::export::Scope::parse(&args.scope).context("unknown scope")?;
    let (plan, bytes) =
        coboard_server::export::from_store(store.as_ref(), &args.board, scope, args.format)
            .await
            .with_context(|| format!("cannot export board {}", args.board))?;
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "Wrote \"{}\" ({} bytes) to {}",
        plan.title,
        bytes.len(),
        args.out.display()
    );
    Ok(())
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("install SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
