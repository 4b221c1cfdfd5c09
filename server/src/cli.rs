//! Command line: subcommands and the settings reference shown by `--help`.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::{Parser, Subcommand};

use crate::config::SETTINGS;

static SETTINGS_HELP: LazyLock<String> = LazyLock::new(|| {
    let mut text = String::from(
        "Settings (environment variable / key in ferrobase.toml); the environment wins over the file:\n",
    );
    for (env, key, description) in SETTINGS {
        text.push_str(&format!("  {env:<27} {key:<18} {description}\n"));
    }
    text.push_str("\nUnknown FERROBASE_* variables and unknown file keys are errors.");
    text
});

#[derive(Debug, Parser)]
#[command(
    name = "ferrobase",
    version,
    about = "Ferrobase, the self-hosted integration hub",
    after_help = SETTINGS_HELP.as_str()
)]
pub struct Cli {
    /// Configuration file (TOML) [default: ./ferrobase.toml when it exists]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve the web UI and API (the default)
    Serve,
    /// Apply pending metadata-store migrations and exit
    Migrate,
    /// Print a new random master key (base64) for FERROBASE_MASTER_KEY
    GenMasterKey,
    /// Create an administrator (first run without a browser, or to recover
    /// access); reads the password from the first line of standard input
    CreateAdmin {
        /// Email address to sign in with
        #[arg(long)]
        email: String,
        /// Name shown in the interface
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
}
