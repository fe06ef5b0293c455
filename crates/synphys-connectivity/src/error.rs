//! The crate's single error type.

use std::fmt;

/// An error from a connectivity computation.
///
/// The [`ErrorKind`] says what went wrong; its message names the input that failed,
/// the value it had and what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn invalid(name: &'static str, value: f64, allowed: &'static str) -> Error {
        ErrorKind::InvalidParameter {
            name,
            value,
            allowed,
        }
        .into()
    }

    pub(crate) fn length(what: &'static str, expected: usize, found: usize) -> Error {
        ErrorKind::LengthMismatch {
            what,
            expected,
            found,
        }
        .into()
    }

    pub(crate) fn empty(what: &'static str) -> Error {
        ErrorKind::EmptyInput { what }.into()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error { kind }
    }
}

/// The kinds of error this crate reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A parameter is outside its domain (NaN, infinite, negative, above a bound…).
    #[error("invalid {name} = {value}: must be {allowed}")]
    InvalidParameter {
        /// The parameter's name, as in the API.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// More connections than probed pairs.
    #[error(
        "n_connected = {connected} exceeds n_probed = {probed}: a group cannot have more connections than probed pairs"
    )]
    ConnectedExceedsProbed {
        /// Connections found.
        connected: u64,
        /// Pairs probed.
        probed: u64,
    },
    /// Two inputs that must have the same length do not.
    #[error("{what}: expected {expected} values, found {found}")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// The length required (that of the first input).
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// An input value that must be finite (or an outcome that must be 0 or 1) is not.
    #[error("{what}[{index}] = {value}: {allowed}")]
    InvalidObservation {
        /// Which input.
        what: &'static str,
        /// Position of the offending value.
        index: usize,
        /// The value found.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// Bin edges that are not finite and strictly increasing, or fewer than two.
    #[error("bin edges: {reason}")]
    InvalidBinEdges {
        /// What is wrong with them.
        reason: String,
    },
    /// A computation that needs data got none.
    #[error("{what}: no data (empty input)")]
    EmptyInput {
        /// What was empty.
        what: &'static str,
    },
    /// Bounds whose lower end exceeds the upper end, or that are not finite.
    #[error("{name} bounds [{lower}, {upper}]: {allowed}")]
    InvalidBounds {
        /// Which parameter's bounds.
        name: &'static str,
        /// Lower end given.
        lower: f64,
        /// Upper end given.
        upper: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// The likelihood is zero for every parameter value (for example a connected pair
    /// whose correction factor is 0), so there is nothing to maximise.
    #[error("likelihood is zero everywhere: {reason}")]
    DegenerateLikelihood {
        /// Why.
        reason: String,
    },
    /// A prior cannot be turned into a connection rule (no probability, no kernel width).
    #[error("prior {pre} -> {post}: {reason}")]
    IncompletePrior {
        /// Presynaptic class.
        pre: String,
        /// Postsynaptic class.
        post: String,
        /// What is missing.
        reason: &'static str,
    },
    /// A class name that a simulator export cannot represent.
    #[error("class {class:?} cannot be written for {format}: {reason}")]
    UnrepresentableName {
        /// The class name, as given.
        class: String,
        /// The simulator or format (`nest`, `pynn`, `netpyne`, `brian2`, `sonata`).
        format: &'static str,
        /// Why not.
        reason: &'static str,
    },
    /// A simulator name that is not one of `nest`, `pynn`, `netpyne`, `brian2`, `sonata`.
    #[error("unknown simulator {name:?}: expected one of nest, pynn, netpyne, brian2, sonata")]
    UnknownSimulator {
        /// The name given.
        name: String,
    },
    /// Writing JSON or CSV failed.
    #[error("writing {format}: {message}")]
    Export {
        /// `"JSON"` or `"CSV"`.
        format: &'static str,
        /// The underlying error's message.
        message: String,
    },
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Checks that `value` is finite and in `[lo, hi]`.
pub(crate) fn check_range(
    name: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    allowed: &'static str,
) -> Result<f64> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, allowed))
    }
}

/// Checks that `value` is finite and strictly positive.
pub(crate) fn check_positive(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "finite and > 0"))
    }
}

/// Checks a confidence level parameter: alpha in (0, 1).
pub(crate) fn check_alpha(alpha: f64) -> Result<f64> {
    if alpha.is_finite() && alpha > 0.0 && alpha < 1.0 {
        Ok(alpha)
    } else {
        Err(Error::invalid(
            "alpha",
            alpha,
            "in (0, 1), e.g. 0.05 for a 95 % interval",
        ))
    }
}

/// Checks that two slices have the same length.
pub(crate) fn check_same_len(what: &'static str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::length(what, expected, found))
    }
}

/// Checks every value of a slice is finite (and, if `non_negative`, ≥ 0).
pub(crate) fn check_finite_values(
    what: &'static str,
    xs: &[f64],
    non_negative: bool,
) -> Result<()> {
    for (index, &value) in xs.iter().enumerate() {
        let ok = value.is_finite() && (!non_negative || value >= 0.0);
        if !ok {
            return Err(ErrorKind::InvalidObservation {
                what,
                index,
                value,
                allowed: if non_negative {
                    "must be finite and >= 0 (metres)"
                } else {
                    "must be finite"
                },
            }
            .into());
        }
    }
    Ok(())
}

/// Checks bounds `lo <= hi`, both finite.
pub(crate) fn check_bounds(name: &'static str, lower: f64, upper: f64) -> Result<(f64, f64)> {
    if lower.is_finite() && upper.is_finite() && lower <= upper {
        Ok((lower, upper))
    } else {
        Err(ErrorKind::InvalidBounds {
            name,
            lower,
            upper,
            allowed: "both finite with lower <= upper",
        }
        .into())
    }
}
