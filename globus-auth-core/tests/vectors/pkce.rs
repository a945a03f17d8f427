//! `pkce.json`: verifier validation, generation from `os.urandom` bytes, S256 challenge.

use globus_auth_core::PkceVerifier;
use serde_json::Value;

use crate::Outcome;
use crate::python::{check_error, expect_eq};

pub(crate) fn run(input: &Value, expected: &Value) -> Outcome {
    let verifier = match &input["verifier"] {
        Value::String(verifier) => PkceVerifier::new(verifier.as_str()),
        Value::Null => {
            let hex = input["urandom_32_bytes_hex"]
                .as_str()
                .ok_or("no verifier and no urandom bytes")?;
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|e| e.to_string()))
                .collect::<Result<_, _>>()?;
            let bytes: [u8; 32] = bytes.try_into().map_err(|_| "not 32 bytes")?;
            Ok(PkceVerifier::from_entropy(&bytes))
        }
        other => return Err(format!("unexpected verifier input {other}")),
    };
    match (verifier, expected.get("error")) {
        (Ok(verifier), None) => {
            expect_eq(
                "verifier",
                verifier.expose_secret(),
                expected["verifier"].as_str().unwrap_or_default(),
            )?;
            expect_eq(
                "challenge",
                verifier.challenge().as_str(),
                expected["challenge"].as_str().unwrap_or_default(),
            )?;
            expect_eq(
                "method",
                globus_auth_core::pkce::CHALLENGE_METHOD,
                expected["method"].as_str().unwrap_or_default(),
            )
        }
        (Err(error), Some(wanted)) => check_error(wanted, &error),
        (Ok(_), Some(wanted)) => Err(format!("expected error {wanted}, got a verifier")),
        (Err(error), None) => Err(format!("unexpected error {error}")),
    }
}
