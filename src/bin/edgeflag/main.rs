//! `edgeflag`: author, sign, verify and inspect flag snapshots.
//!
//! Exit codes: 0 success; 1 the input was refused (invalid source, failed
//! snapshot check, bad context); 2 usage error; 3 a file could not be read or
//! written.

mod diff;
mod inputs;
mod report;

use clap::{Args, Parser, Subcommand};
use edgeflag::authoring::Authored;
use edgeflag::envelope::Envelope;
use edgeflag::{envelope, Assignments, Input, SigningKey, Snapshot, SnapshotError};
use inputs::{Failure, SnapshotArgs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Feature flags evaluated at the edge from signed rule snapshots.
#[derive(Parser)]
#[command(name = "edgeflag", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an Ed25519 signing key: PREFIX.key (private, mode 0600) and PREFIX.pub.
    Keygen {
        /// Path prefix of the two key files.
        #[arg(long, short)]
        out: PathBuf,
        /// Overwrite existing key files.
        #[arg(long)]
        force: bool,
    },
    /// Validate a YAML flags file and report every problem in it.
    Check {
        /// The flags file.
        source: PathBuf,
    },
    /// Compile a YAML flags file and sign it into a snapshot envelope.
    Build(BuildArgs),
    /// Add signatures to a signed snapshot, for keyrings that require a threshold of signers.
    Cosign {
        /// The snapshot envelope (JSON).
        snapshot: PathBuf,
        /// Private key files (from `keygen`); each adds a signature.
        #[arg(long = "key", short, required = true)]
        keys: Vec<PathBuf>,
        /// Output file (default: standard output).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Verify a signed snapshot: every check, in order.
    Verify {
        /// The snapshot envelope (JSON).
        snapshot: PathBuf,
        #[command(flatten)]
        trust: inputs::TrustArgs,
        /// Verify as of this time (RFC 3339 or epoch ms) instead of now.
        #[arg(long)]
        now: Option<String>,
        /// Print the outcome as JSON on standard output (`ok`, and the snapshot's fields or the failed check).
        #[arg(long)]
        json: bool,
    },
    /// Evaluate flags for a context.
    Eval {
        #[command(flatten)]
        snapshot: SnapshotArgs,
        #[command(flatten)]
        context: inputs::ContextArgs,
        /// Flags to evaluate (default: all).
        #[arg(long = "flag", short)]
        flags: Vec<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show how N synthetic units split across a flag's variants.
    Simulate {
        #[command(flatten)]
        snapshot: SnapshotArgs,
        /// The flag to simulate.
        #[arg(long, short)]
        flag: String,
        /// How many units.
        #[arg(long, default_value_t = 10_000)]
        units: u32,
        #[command(flatten)]
        context: inputs::ContextArgs,
    },
    /// Show what NEW changes against OLD: flags and segments added, removed and changed, field by field.
    Diff {
        /// The old snapshot or YAML flags file (e.g. the one serving now).
        old: PathBuf,
        /// The new snapshot or YAML flags file.
        new: PathBuf,
        #[command(flatten)]
        trust: inputs::TrustArgs,
        /// Read signed snapshots without verifying them (inspection only).
        #[arg(long)]
        unverified: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Explain, step by step, why a context gets its value.
    Explain {
        #[command(flatten)]
        snapshot: SnapshotArgs,
        /// The flag to explain.
        #[arg(long, short)]
        flag: String,
        #[command(flatten)]
        context: inputs::ContextArgs,
    },
}

#[derive(Args)]
struct BuildArgs {
    /// The YAML flags file.
    source: PathBuf,
    /// Private key files (from `keygen`); each adds a signature.
    #[arg(long = "key", short, required = true)]
    keys: Vec<PathBuf>,
    /// The environment (default: the file's `environment`).
    #[arg(long)]
    env: Option<String>,
    /// Snapshot version (default: the current time in epoch milliseconds, so builds increase).
    #[arg(long)]
    version: Option<u64>,
    /// How long the snapshot stays valid: e.g. 90s, 30m, 12h, 7d.
    #[arg(long, default_value = "7d")]
    expires_in: String,
    /// Output file (default: standard output).
    #[arg(long, short)]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            failure.exit_code()
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Keygen { out, force } => keygen(&out, force),
        Command::Check { source } => {
            let Authored { payload, snapshot } = inputs::read_source(&source)?;
            println!("{}: OK, {} flags, {} segments", source.display(), payload.flags.len(), payload.segments.len());
            for key in snapshot.stale_flags(inputs::now()) {
                eprintln!("warning: {}: flag `{key}` is past its stale_after date; consider removing it", source.display());
            }
            Ok(())
        }
        Command::Build(args) => build(args),
        Command::Cosign { snapshot, keys, out } => cosign(&snapshot, &keys, out.as_deref()),
        Command::Verify { snapshot, trust, now, json } => {
            let now = inputs::time_or_now(now.as_deref())?;
            let outcome = inputs::verify_file_signers(&snapshot, &trust, now);
            match (&outcome, json) {
                (Ok((verified, signers)), false) => report::verified(&snapshot, verified.meta(), signers, trust.threshold, now),
                (Ok((verified, signers)), true) => report::verified_json(verified.meta(), signers, trust.threshold),
                (Err(Failure::Snapshot(_, error)), true) => report::refused_json(error),
                (Err(_), _) => {}
            }
            outcome.map(|_| ())
        }
        Command::Eval { snapshot, context, flags, json } => {
            let loaded = snapshot.load()?;
            let (ctx, now) = context.read()?;
            let input = Input::new(&ctx, now);
            let keys: Vec<&str> = if flags.is_empty() { loaded.flag_keys().collect() } else { flags.iter().map(String::as_str).collect() };
            let results: Vec<_> = keys.iter().map(|&k| (k, loaded.evaluate(k, &input))).collect();
            if json {
                report::details_json(&results)
            } else {
                report::details_table(&results)
            }
            Ok(())
        }
        Command::Simulate { snapshot, flag, units, context } => {
            let loaded = snapshot.load()?;
            let (base, now) = context.read_json()?;
            report::simulation(&loaded, &flag, units, &base, now)
        }
        Command::Diff { old, new, trust, unverified, json } => {
            let before = inputs::read_payload(&old, &trust, unverified)?;
            let after = inputs::read_payload(&new, &trust, unverified)?;
            let changes = diff::changes(&before, &after);
            if json {
                diff::print_json(&changes);
            } else {
                diff::print_text((&old, &before), (&new, &after), &changes);
            }
            Ok(())
        }
        Command::Explain { snapshot, flag, context } => {
            let loaded = snapshot.load()?;
            let (ctx, now) = context.read()?;
            let assignments = Assignments::new();
            let input = Input::new(&ctx, now).with_assignments(&assignments);
            let (detail, steps) = loaded.explain(&flag, &input);
            report::explanation(&flag, now, &detail, &steps);
            Ok(())
        }
    }
}

fn keygen(prefix: &std::path::Path, force: bool) -> Result<(), Failure> {
    let key = SigningKey::generate().map_err(|e| Failure::Io(format!("no random source for a new key: {e}")))?;
    let private = prefix.with_extension("key");
    let public = prefix.with_extension("pub");
    inputs::write_private(&private, &format!("{}\n", key.seed_hex()), force)?;
    inputs::write_file(&public, &format!("{}\n", key.public_key_hex()))?;
    println!("key id:      {}", key.key_id());
    println!("public key:  {}  ({})", key.public_key_hex(), public.display());
    println!("private key: {} (mode 0600; keep it out of version control)", private.display());
    Ok(())
}

/// Adds each key's signature to a snapshot whose payload would load (it
/// decodes and compiles), and says what was signed: a co-signer signs
/// nothing they were not shown.
fn cosign(path: &Path, key_files: &[PathBuf], out: Option<&Path>) -> Result<(), Failure> {
    let bytes = inputs::read_bytes(path)?;
    let refused = inputs::refused(path);
    let mut signed = Envelope::parse(&bytes).map_err(&refused)?;
    signed.check().map_err(&refused)?;
    let payload = inputs::envelope_payload(path, &bytes)?;
    let snapshot = Snapshot::compile(payload).map_err(|errors| refused(SnapshotError::Compile(errors)))?;
    for key_file in key_files {
        let key = inputs::read_signing_key(key_file)?;
        if !signed.add_signature(&key).map_err(&refused)? {
            return Err(Failure::Refused(format!("{}: already signed by key {} ({})", path.display(), key.key_id(), key_file.display())));
        }
    }
    // Within the signature limit after the additions too.
    signed.check().map_err(&refused)?;
    let meta = snapshot.meta();
    let signers: Vec<&str> = signed.signatures.iter().map(|s| s.keyid.as_str()).collect();
    eprintln!(
        "cosigned {} flags for `{}`, version {}, expires {}; signed by {}",
        snapshot.flag_count(),
        meta.environment,
        meta.version,
        edgeflag::time::format_rfc3339(meta.expires_at),
        signers.join(", ")
    );
    match out {
        Some(out) => inputs::write_file(out, &signed.to_json()),
        None => {
            println!("{}", signed.to_json());
            Ok(())
        }
    }
}

fn build(args: BuildArgs) -> Result<(), Failure> {
    let mut payload = inputs::read_source(&args.source)?.payload;
    let keys = args.keys.iter().map(|p| inputs::read_signing_key(p)).collect::<Result<Vec<_>, _>>()?;
    let now = inputs::now();
    let lifetime = inputs::parse_duration(&args.expires_in)?;
    if let Some(env) = args.env {
        payload.environment = env;
    }
    if payload.environment.is_empty() {
        return Err(Failure::Usage(format!("{}: no environment: set `environment:` in the file or pass --env", args.source.display())));
    }
    payload.version = args.version.unwrap_or(now as u64);
    payload.issued_at = edgeflag::model::Timestamp(now);
    payload.expires_at = edgeflag::model::Timestamp(now.saturating_add(lifetime));
    // `read_source` compiled the rules already; the stamps set here do not change them.
    let bytes = serde_json::to_vec(&payload).map_err(|e| Failure::Refused(e.to_string()))?;
    let signed = envelope::sign(&bytes, &keys);
    match &args.out {
        Some(path) => {
            inputs::write_file(path, &signed)?;
            eprintln!(
                "signed {} flags for `{}`, version {}, expires {} → {}",
                payload.flags.len(),
                payload.environment,
                payload.version,
                edgeflag::time::format_rfc3339(payload.expires_at.0),
                path.display()
            );
        }
        None => println!("{signed}"),
    }
    Ok(())
}
