//! The HTTP client of probes and push channels: TLS by rustls with the ring provider (as
//! email), verified against the system's roots or, when a CA file is given, against that CA
//! alone; every request bounded by a timeout; redirects never followed.

use crate::sys::careful_file::{self, ReadRules, MAX_CA_BYTES};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Why a client could not be made: the CA file (named) or the TLS setup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ClientError(pub String);

/// A client whose requests each take at most `timeout` in all (connect, TLS, request and
/// answer). With `ca_file`, only servers whose certificate chains to that CA are trusted.
pub fn client(ca_file: Option<&Path>, timeout: Duration) -> Result<reqwest::Client, ClientError> {
    let roots = match ca_file {
        Some(path) => ca_roots(path)?,
        None => system_roots(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError(format!("TLS cannot be set up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Lookout/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ClientError(format!("the HTTP client cannot be made: {e}")))
}

/// The system's trusted roots (what the browser and curl trust); certificates the store
/// holds but rustls cannot parse are skipped.
fn system_roots() -> RootCertStore {
    let mut roots = RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for e in &found.errors {
        tracing::debug!("a system root certificate could not be read: {e}");
    }
    let (_, ignored) = roots.add_parsable_certificates(found.certs);
    if ignored > 0 {
        tracing::debug!("{ignored} system root certificates are not usable by rustls");
    }
    roots
}

/// The roots of a PEM file of CA certificates, read with the care every file gets (a regular
/// file, of bounded size).
fn ca_roots(path: &Path) -> Result<RootCertStore, ClientError> {
    let shown = path.display();
    let pem = careful_file::read(path, ReadRules::plain(MAX_CA_BYTES))
        .map_err(|e| ClientError(format!("ca_file: {e}")))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|e| ClientError(format!("ca_file '{shown}' holds no usable PEM certificate ({e}); give the CA certificate in PEM form")))?;
    let mut roots = RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(ClientError(format!(
            "ca_file '{shown}' holds no usable PEM certificate; give the CA certificate in PEM form"
        )));
    }
    Ok(roots)
}

/// An error with its causes, "a: b: c", as reqwest's own text names only the outermost.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let next = cause.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = cause.source();
    }
    text
}
