//! One-dimensional optimisers of the mini amplitude: Newton on ln q with analytic
//! derivatives, and the reference's own Nelder–Mead.

mod nelder_mead;
mod newton;

pub(crate) use nelder_mead::nelder_mead;
pub(crate) use newton::maximise;
