//! `fake-globus`: serves the fake Globus on `127.0.0.1` until Ctrl-C (or SIGTERM).
//!
//! It first prints one `GLOBUS_SDK_SERVICE_URL_<SERVICE>=<base URL>` line per service on
//! stdout (export them to point the Python SDK, or this one, at the fake), then serves.
//! Diagnostics go to stderr.
//!
//! Usage: `fake-globus [--port N] [--client ID[:SECRET]]...` (port 0, the default, picks a
//! free port; `--client` registers a native client, or a confidential one with a secret).
//! The tutorial native client and a default user are always known.

use std::io::Write;
use std::process::ExitCode;

use globus_testing::{Client, DEFAULT_USERNAME, FakeGlobus, TUTORIAL_CLIENT_ID};

const USAGE: &str = "usage: fake-globus [--port N] [--client ID[:SECRET]]...\n\nServes a fake Globus on \
                     127.0.0.1 and prints GLOBUS_SDK_SERVICE_URL_* lines; Ctrl-C stops it.";

/// What to run.
#[derive(Debug, PartialEq)]
struct Options {
    port: u16,
    clients: Vec<Client>,
}

/// `Ok(Some(options))` to run, `Ok(None)` for `--help`, `Err` for bad arguments.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        port: 0,
        clients: Vec::new(),
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" | "-p" => {
                let value = value()?;
                options.port = value.parse().map_err(|_| format!("invalid port: {value}"))?;
            }
            "--client" => {
                let value = value()?;
                let client = match value.split_once(':') {
                    Some((id, secret)) if !id.is_empty() => Client::confidential(id, secret),
                    None if !value.is_empty() => Client::native(value),
                    _ => return Err(format!("invalid client: {value}")),
                };
                options.clients.push(client);
            }
            other => return Err(format!("unexpected argument: {other}")),
        }
    }
    Ok(Some(options))
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("fake-globus: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let port = options.port;
    let builder = options
        .clients
        .into_iter()
        .fold(FakeGlobus::builder().port(port), |builder, client| {
            builder.client(client)
        });
    let fake = match builder.start().await {
        Ok(fake) => fake,
        Err(err) => {
            eprintln!("fake-globus: cannot listen on 127.0.0.1:{port}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    for (name, url) in fake.service_url_env() {
        if writeln!(out, "{name}={url}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    drop(out);
    eprintln!(
        "fake-globus: serving on {} (native client {TUTORIAL_CLIENT_ID}, user {DEFAULT_USERNAME}); Ctrl-C stops it",
        fake.origin()
    );
    wait_for_stop().await;
    fake.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::{Client, Options, parse_args};

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    fn port(args: &[&str]) -> Option<u16> {
        parse(args).ok().flatten().map(|options| options.port)
    }

    #[test]
    fn arguments() {
        assert_eq!(port(&[]), Some(0));
        assert_eq!(port(&["--port", "8080"]), Some(8080));
        assert_eq!(port(&["--port=9"]), Some(9));
        assert_eq!(parse(&["--help"]), Ok(None));
        let clients = parse(&["--client", "native-id", "--client=conf:pw:x"])
            .ok()
            .flatten()
            .map(|o| o.clients);
        assert_eq!(
            clients,
            Some(vec![Client::native("native-id"), Client::confidential("conf", "pw:x")])
        );
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "x"]).is_err());
        assert!(parse(&["--client", ":x"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }
}
