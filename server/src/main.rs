//! `ferrobase`: one binary that serves the web UI, the API and (later) the
//! workflow engine.

use std::process::ExitCode;

use clap::Parser;

use server::cli::{Cli, Command};
use server::config::Config;
use server::{startup, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line saying what is wrong and how to fix it; no backtrace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The first line of standard input, without its line ending. Never an
/// argument: the command lines of processes are visible to other users.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.clone().unwrap_or(Command::Serve);
    if let Command::GenMasterKey = command {
        println!("{}", service::MasterKey::generate().to_base64());
        return Ok(());
    }
    let env: Vec<(String, String)> = std::env::vars().collect();
    let config = Config::load(cli.config.as_deref(), &env)?;
    telemetry::init(&config.log, config.log_format)?;
    // Before any TLS connection: the metadata store's and every data source's.
    connectors::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match command {
            Command::Serve => startup::serve(config).await,
            Command::Migrate => startup::migrate(&config).await,
            Command::CreateAdmin { email, name } => {
                let password = read_password()?;
                startup::create_admin(&config, &email, &name, &password).await
            }
            Command::GenMasterKey => Ok(()),
        }
    })
}
