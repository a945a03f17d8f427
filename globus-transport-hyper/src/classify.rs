//! Classifying hyper, hyper-util and rustls failures into [`TransportErrorKind`]s.

use std::error::Error as StdError;

use globus_transport::{RequestSent, TransportError, TransportErrorKind};

/// Walks an error's causes. `io::Error::source()` skips the error an `io::Error` wraps,
/// so for those the wrapped error (`get_ref`) is the next link.
fn chain<'a>(error: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |e| next_cause(*e))
}

fn next_cause<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    match error.downcast_ref::<std::io::Error>() {
        Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
        None => error.source(),
    }
}

fn find<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    chain(error).find_map(|e| e.downcast_ref::<T>())
}

/// Classifies a failure of the pooled client's `request` call.
pub(crate) fn request_error(error: hyper_util::client::legacy::Error) -> TransportError {
    let (kind, sent) = classify(&error, error.is_connect());
    TransportError::new(kind, sent).with_source(error)
}

/// Classifies a failure while reading the response body.
pub(crate) fn body_error(error: Box<dyn StdError + Send + Sync>) -> TransportError {
    let kind = if find::<http_body_util::LengthLimitError>(error.as_ref()).is_some() {
        TransportErrorKind::BodyTooLarge
    } else {
        classify(error.as_ref(), false).0
    };
    TransportError::new(kind, RequestSent::Maybe).with_source(error)
}

fn classify(error: &(dyn StdError + 'static), connecting: bool) -> (TransportErrorKind, RequestSent) {
    if find::<rustls::Error>(error).is_some() {
        // The handshake precedes the request: nothing was sent.
        return (TransportErrorKind::Tls, RequestSent::No);
    }
    let io_kind = find::<std::io::Error>(error).map(std::io::Error::kind);
    if connecting {
        // hyper-rustls reports handshake failures as I/O errors wrapping rustls errors;
        // those were caught above. Everything else here failed before sending.
        return match io_kind {
            Some(std::io::ErrorKind::TimedOut) => (TransportErrorKind::Timeout, RequestSent::No),
            _ => (TransportErrorKind::Connect, RequestSent::No),
        };
    }
    if let Some(hyper_error) = find::<hyper::Error>(error) {
        if hyper_error.is_timeout() {
            return (TransportErrorKind::Timeout, RequestSent::Maybe);
        }
        if hyper_error.is_parse() || hyper_error.is_parse_status() {
            return (TransportErrorKind::Protocol, RequestSent::Maybe);
        }
        if hyper_error.is_incomplete_message() || hyper_error.is_closed() || hyper_error.is_canceled() {
            return (TransportErrorKind::Io, RequestSent::Maybe);
        }
    }
    match io_kind {
        Some(std::io::ErrorKind::TimedOut) => (TransportErrorKind::Timeout, RequestSent::Maybe),
        Some(_) => (TransportErrorKind::Io, RequestSent::Maybe),
        None => (TransportErrorKind::Other, RequestSent::Maybe),
    }
}
