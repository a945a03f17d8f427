//! The rustls client configuration: provider `ring` and the roots.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::executor::BuildError;

/// How server certificates are checked.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum TlsVerification {
    /// Against the Mozilla root store bundled by `webpki-roots` (the default; Python uses
    /// `certifi`, the same roots).
    #[default]
    MozillaRoots,
    /// Against the CA certificates of a PEM bundle only (Python's `GLOBUS_SDK_VERIFY_SSL`
    /// set to a path).
    CustomCa(Vec<u8>),
    /// Not at all (`GLOBUS_SDK_VERIFY_SSL=false`). Handshake signatures are still
    /// checked; anyone on the path can impersonate the server. For tests only.
    Disabled,
}

impl fmt::Debug for TlsVerification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MozillaRoots => f.write_str("MozillaRoots"),
            Self::CustomCa(pem) => write!(f, "CustomCa({} bytes of PEM)", pem.len()),
            Self::Disabled => f.write_str("Disabled"),
        }
    }
}

/// Accepts any certificate (verification disabled), still checking signatures.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The client configuration, with the provider chosen explicitly (never the process
/// default: with two providers compiled in, `ClientConfig::builder()` panics).
pub(crate) fn client_config(verification: &TlsVerification) -> Result<ClientConfig, BuildError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| BuildError::Tls(e.to_string()))?;
    // ALPN (h2, http/1.1) is set by hyper-rustls's `enable_http2`, which insists on it.
    let config = match verification {
        TlsVerification::MozillaRoots => {
            let roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        TlsVerification::CustomCa(pem) => {
            let mut roots = RootCertStore::empty();
            for certificate in CertificateDer::pem_slice_iter(pem) {
                let certificate = certificate.map_err(|e| BuildError::Tls(format!("CA bundle: {e}")))?;
                roots
                    .add(certificate)
                    .map_err(|e| BuildError::Tls(format!("CA bundle: {e}")))?;
            }
            if roots.is_empty() {
                return Err(BuildError::Tls("the CA bundle holds no certificate".to_owned()));
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        TlsVerification::Disabled => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
            .with_no_client_auth(),
    };
    Ok(config)
}
