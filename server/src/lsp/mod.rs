//! The language server: thin protocol handlers over the document store and the analysis.

mod actions;
mod completion;
mod convert;
mod guidance;
mod knowledge;
mod navigate;
mod outline;
mod project;
mod project_names;
mod review;
mod rule_docs;
mod server;
mod status;
mod store;

pub use server::Server as LqlsServer;

/// Serves LSP on stdin/stdout until the client exits. Returns the process exit status.
pub fn run_stdio() -> i32 {
    // Logs go to stderr (stdout carries the protocol). RUST_LOG or LQLS_LOG choose the level.
    let filter = tracing_subscriber::EnvFilter::try_from_env("LQLS_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lqls: cannot start the async runtime: {e}");
            return 2;
        }
    };
    runtime.block_on(async {
        let (service, socket) = tower_lsp_server::LspService::new(server::Server::new);
        tower_lsp_server::Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    0
}
