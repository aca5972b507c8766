//! Reading the CLI's inputs (files, keys, times, contexts) with errors that
//! name the file, the line where there is one, and what is wrong.

use clap::Args;
use edgeflag::authoring::Authored;
use edgeflag::model::Payload;
use edgeflag::{envelope, time, Context, Keyring, Policy, SigningKey, Snapshot, SnapshotError};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Why a command failed, and its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The input was refused (exit 1).
    Refused(String),
    /// A snapshot file failed a check (exit 1); the check is kept for JSON reports.
    Snapshot(PathBuf, SnapshotError),
    /// The command was used wrongly (exit 2).
    Usage(String),
    /// A file could not be read or written (exit 3).
    Io(String),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::Refused(_) | Failure::Snapshot(..) => 1,
            Failure::Usage(_) => 2,
            Failure::Io(_) => 3,
        })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Failure::Refused(m) | Failure::Usage(m) | Failure::Io(m) => write!(f, "error: {m}"),
            Failure::Snapshot(path, error) => write!(f, "error: {}: {error}", path.display()),
        }
    }
}

/// The current time in epoch milliseconds.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// Parses `--now`: RFC 3339 or epoch milliseconds; the clock when absent.
pub fn time_or_now(text: Option<&str>) -> Result<i64, Failure> {
    let Some(text) = text else { return Ok(now()) };
    text.parse::<i64>()
        .ok()
        .or_else(|| time::parse_rfc3339(text))
        .ok_or_else(|| Failure::Usage(format!("--now `{text}` is neither RFC 3339 nor epoch milliseconds")))
}

/// Parses a duration such as `90s`, `30m`, `12h` or `7d` into milliseconds.
pub fn parse_duration(text: &str) -> Result<i64, Failure> {
    let bad = || Failure::Usage(format!("duration `{text}` must be a number followed by s, m, h or d"));
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let scale = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(bad()),
    };
    let n: i64 = number.parse().map_err(|_| bad())?;
    n.checked_mul(scale).filter(|&ms| ms > 0).ok_or_else(bad)
}

pub fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))
}

pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))
}

/// The failure of a snapshot file that a check refused.
pub fn refused(path: &Path) -> impl Fn(SnapshotError) -> Failure + '_ {
    move |error| Failure::Snapshot(path.to_owned(), error)
}

pub fn write_file(path: &Path, content: &str) -> Result<(), Failure> {
    std::fs::write(path, content).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))
}

/// Writes a private key readable by its owner only.
pub fn write_private(path: &Path, content: &str, overwrite: bool) -> Result<(), Failure> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let io = |e: std::io::Error| Failure::Io(format!("{}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).mode(0o600);
    if overwrite {
        options.create(true).truncate(true)
    } else {
        options.create_new(true)
    };
    let mut file = options.open(path).map_err(io)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    file.write_all(content.as_bytes()).map_err(io)
}

pub fn read_signing_key(path: &Path) -> Result<SigningKey, Failure> {
    SigningKey::from_seed_hex(&read_text(path)?).map_err(|e| Failure::Refused(format!("{}:1: not a private key: {e}", path.display())))
}

/// Reads, validates and compiles a YAML source, reporting every diagnostic.
pub fn read_source(path: &Path) -> Result<Authored, Failure> {
    let text = read_text(path)?;
    edgeflag::authoring::read_source(&text, &path.display().to_string()).map_err(|diagnostics| {
        let count = diagnostics.len();
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        Failure::Refused(format!("{}\n{count} problem(s) in {}", lines.join("\n"), path.display()))
    })
}

pub fn compile(payload: Payload) -> Result<Snapshot, Failure> {
    Snapshot::compile(payload).map_err(|errors| Failure::Refused(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")))
}

/// Whom to trust when verifying a snapshot.
#[derive(Args)]
pub struct TrustArgs {
    /// Trusted public keys: files from `keygen`, or 64 hex digits.
    #[arg(long = "pubkey", short = 'p')]
    pub pubkeys: Vec<String>,
    /// The environment the snapshot must be for.
    #[arg(long)]
    pub env: Option<String>,
    /// How many distinct trusted keys must sign.
    #[arg(long, default_value_t = 1)]
    pub threshold: usize,
    /// Refuse versions below this.
    #[arg(long)]
    pub min_version: Option<u64>,
}

impl TrustArgs {
    fn keyring(&self) -> Result<Keyring, Failure> {
        let keys = self
            .pubkeys
            .iter()
            .map(|k| if Path::new(k).exists() { read_text(Path::new(k)).map(|t| t.trim().to_owned()) } else { Ok(k.clone()) })
            .collect::<Result<Vec<_>, _>>()?;
        Keyring::from_hex(&keys).and_then(|ring| ring.with_threshold(self.threshold)).map_err(|e| Failure::Usage(format!("--pubkey: {e}")))
    }

    fn policy(&self) -> Result<Policy, Failure> {
        let env = self.env.clone().ok_or_else(|| Failure::Usage("--env is required to verify a snapshot".into()))?;
        Ok(Policy { version_floor: self.min_version, ..Policy::new(env) })
    }
}

/// A snapshot file that passed every check: its compiled snapshot, its
/// bytes and the keyring that verified it.
struct VerifiedFile {
    snapshot: Snapshot,
    bytes: Vec<u8>,
    keyring: Keyring,
}

/// Reads and verifies a snapshot file (usage errors before any file is read).
fn read_verified(path: &Path, trust: &TrustArgs, now: i64) -> Result<VerifiedFile, Failure> {
    if trust.pubkeys.is_empty() {
        return Err(Failure::Usage("give at least one --pubkey to verify against".into()));
    }
    let (keyring, policy) = (trust.keyring()?, trust.policy()?);
    let bytes = read_bytes(path)?;
    let snapshot = envelope::verify(&bytes, &keyring, &policy, None, now).map_err(refused(path))?.snapshot;
    Ok(VerifiedFile { snapshot, bytes, keyring })
}

/// Verifies a snapshot file.
pub fn verify_file(path: &Path, trust: &TrustArgs, now: i64) -> Result<Snapshot, Failure> {
    Ok(read_verified(path, trust, now)?.snapshot)
}

/// [`verify_file`], with the key ids of the trusted keys that signed.
pub fn verify_file_signers(path: &Path, trust: &TrustArgs, now: i64) -> Result<(Snapshot, Vec<String>), Failure> {
    let VerifiedFile { snapshot, bytes, keyring } = read_verified(path, trust, now)?;
    Ok((snapshot, envelope::signers(&bytes, &keyring).map_err(refused(path))?))
}

/// A snapshot to inspect: a YAML source, a verified envelope, or an envelope
/// read without verification when asked to.
#[derive(Args)]
pub struct SnapshotArgs {
    /// A YAML flags file, or a signed snapshot envelope.
    pub snapshot: PathBuf,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Read a signed snapshot without verifying it (inspection only).
    #[arg(long)]
    pub unverified: bool,
}

impl SnapshotArgs {
    pub fn load(&self) -> Result<Snapshot, Failure> {
        let path = &self.snapshot;
        if is_source(path) {
            return Ok(read_source(path)?.snapshot);
        }
        if !self.unverified {
            return verify_file(path, &self.trust, now());
        }
        compile(unverified_payload(path)?)
    }
}

/// Whether a snapshot argument names a YAML source rather than an envelope.
fn is_source(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// The payload of a YAML source, or of an envelope verified (now, as
/// [`SnapshotArgs::load`] does) unless `unverified` says not to.
pub fn read_payload(path: &Path, trust: &TrustArgs, unverified: bool) -> Result<Payload, Failure> {
    if is_source(path) {
        return Ok(read_source(path)?.payload);
    }
    if unverified {
        return unverified_payload(path);
    }
    envelope_payload(path, &read_verified(path, trust, now())?.bytes)
}

/// An envelope's payload, read without verifying it, with a warning saying so.
fn unverified_payload(path: &Path) -> Result<Payload, Failure> {
    let payload = envelope_payload(path, &read_bytes(path)?)?;
    eprintln!("warning: {}: signatures NOT verified (--unverified)", path.display());
    Ok(payload)
}

/// The payload of the envelope `bytes` read from `path`, decoded (the
/// caller verified it or says it did not).
pub fn envelope_payload(path: &Path, bytes: &[u8]) -> Result<Payload, Failure> {
    let payload_bytes = envelope::payload_unverified(bytes).map_err(refused(path))?;
    Ok(envelope::parse_payload(&payload_bytes).map_err(refused(path))?.payload)
}

/// The evaluation context and time.
#[derive(Args)]
pub struct ContextArgs {
    /// The context as JSON, or @FILE to read it from a file.
    #[arg(long, short, default_value = "{}")]
    pub context: String,
    /// Evaluate at this time (RFC 3339 or epoch ms) instead of now.
    #[arg(long)]
    pub now: Option<String>,
}

impl ContextArgs {
    /// Where the context comes from, for messages: its file, or `--context`.
    fn origin(&self) -> &str {
        self.context.strip_prefix('@').unwrap_or("--context")
    }

    pub fn read_json(&self) -> Result<(serde_json::Value, i64), Failure> {
        let text = match self.context.strip_prefix('@') {
            Some(file) => read_text(Path::new(file))?,
            None => self.context.clone(),
        };
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Failure::Refused(format!("{}:{}:{}: invalid JSON: {e}", self.origin(), e.line(), e.column())))?;
        Ok((value, time_or_now(self.now.as_deref())?))
    }

    pub fn read(&self) -> Result<(Context, i64), Failure> {
        let (value, now) = self.read_json()?;
        let context = Context::from_json(&value.to_string()).map_err(|e| Failure::Refused(format!("{}: {e}", self.origin())))?;
        Ok((context, now))
    }
}
