//! Per-quantity spread (median and quartiles) and the four synapse tables' summaries.

use serde::{Deserialize, Serialize};
use synphys_query::{Aggregate, percentile};

/// Median, 25th and 75th percentiles and count of one quantity over the connected pairs
/// of a class pair. Percentiles interpolate linearly (NumPy's default, see
/// [`synphys_query::percentile`]); the median is `numpy.median`'s. Null values and
/// non-finite numbers are left out; with none left, `count` is 0 and the rest null.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Quartiles {
    /// Median (50th percentile).
    pub median: Option<f64>,
    /// 25th percentile: the lower end of the interquartile range.
    pub iqr_lower: Option<f64>,
    /// 75th percentile: the upper end of the interquartile range.
    pub iqr_upper: Option<f64>,
    /// Number of finite values summarised.
    pub count: u64,
}

impl Quartiles {
    /// The quartiles of the finite values among `values`.
    ///
    /// ```
    /// use synphys_priors::Quartiles;
    /// let q = Quartiles::of(&[4.0, 1.0, f64::NAN, 3.0, 2.0]);
    /// assert_eq!((q.iqr_lower, q.median, q.iqr_upper, q.count), (Some(1.75), Some(2.5), Some(3.25), 4));
    /// assert_eq!(Quartiles::of(&[]).count, 0);
    /// ```
    pub fn of(values: &[f64]) -> Quartiles {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        Quartiles {
            median: Aggregate::Median.apply(&finite),
            iqr_lower: percentile(&finite, 25.0),
            iqr_upper: percentile(&finite, 75.0),
            count: finite.len() as u64,
        }
    }
}

/// Declares a summary struct whose fields are [`Quartiles`] of columns of one table,
/// with the list of (field, frame column) pairs the builder and the CSV writer walk.
macro_rules! table_summary {
    (
        $(#[$doc:meta])*
        $name:ident from $table:literal {
            $( $(#[$field_doc:meta])* $field:ident <- $column:literal, )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$field_doc])* pub $field: Quartiles, )*
        }

        impl $name {
            /// Each field's name and the pair-query frame column it summarises
            /// (`table.column`).
            pub const COLUMNS: &'static [(&'static str, &'static str)] =
                &[$( (stringify!($field), concat!($table, ".", $column)), )*];

            /// Each field's name with its quartiles, in declaration order.
            pub fn quantities(&self) -> Vec<(&'static str, &Quartiles)> {
                vec![$( (stringify!($field), &self.$field), )*]
            }

            /// The summary with each field taken from `summarise(column)`.
            pub(crate) fn from_columns<E>(
                mut summarise: impl FnMut(&'static str) -> Result<Quartiles, E>,
            ) -> Result<$name, E> {
                Ok($name { $( $field: summarise(concat!($table, ".", $column))?, )* })
            }
        }
    };
}

table_summary! {
    /// The `synapse` table: strength, latency and kinetics. Amplitudes are reported as
    /// stored, which is signed by synapse type: excitatory positive, inhibitory negative.
    SynapseSummary from "synapse" {
        /// PSP amplitude, volts (signed as stored).
        psp_amplitude_v <- "psp_amplitude",
        /// Latency from presynaptic spike to PSP onset, seconds.
        latency_s <- "latency",
        /// PSP 10–90 % rise time, seconds.
        psp_rise_time_s <- "psp_rise_time",
        /// PSP decay time constant, seconds.
        psp_decay_tau_s <- "psp_decay_tau",
        /// PSC amplitude, amperes (signed as stored).
        psc_amplitude_a <- "psc_amplitude",
        /// PSC 10–90 % rise time, seconds.
        psc_rise_time_s <- "psc_rise_time",
        /// PSC decay time constant, seconds.
        psc_decay_tau_s <- "psc_decay_tau",
    }
}

table_summary! {
    /// The `resting_state_fit` table: fits of the average response at rest, in current
    /// clamp (`ic_*`) and voltage clamp (`vc_*`). Amplitudes as stored (signed).
    RestingStateSummary from "resting_state_fit" {
        /// Current-clamp response amplitude, volts.
        ic_amplitude_v <- "ic_amp",
        /// Current-clamp latency, seconds.
        ic_latency_s <- "ic_latency",
        /// Current-clamp rise time, seconds.
        ic_rise_time_s <- "ic_rise_time",
        /// Current-clamp decay time constant, seconds.
        ic_decay_tau_s <- "ic_decay_tau",
        /// Voltage-clamp response amplitude, amperes.
        vc_amplitude_a <- "vc_amp",
        /// Voltage-clamp latency, seconds.
        vc_latency_s <- "vc_latency",
        /// Voltage-clamp rise time, seconds.
        vc_rise_time_s <- "vc_rise_time",
        /// Voltage-clamp decay time constant, seconds.
        vc_decay_tau_s <- "vc_decay_tau",
    }
}

table_summary! {
    /// The `dynamics` table: short-term plasticity measured from the recorded responses
    /// (dimensionless; `amp90` is the synapse's 90th-percentile amplitude, see
    /// `synphys_dynamics::DynamicsMetrics`).
    DynamicsSummary from "dynamics" {
        /// Paired-pulse ratio a₂/a₁ at 50 Hz.
        paired_pulse_ratio_50hz <- "paired_pulse_ratio_50hz",
        /// Initial change (a₂ − a₁)/amp90 at 50 Hz.
        stp_initial_50hz <- "stp_initial_50hz",
        /// Induction (median(a₆, a₇, a₈) − a₁)/amp90 at 50 Hz.
        stp_induction_50hz <- "stp_induction_50hz",
        /// Recovery of the whole train after a 250 ms delay.
        stp_recovery_250ms <- "stp_recovery_250ms",
        /// Recovery (a₉ − a₁)/amp90 after a 250 ms delay.
        stp_recovery_single_250ms <- "stp_recovery_single_250ms",
    }
}

table_summary! {
    /// The `synapse_model` table: maximum-likelihood parameters of the stochastic release
    /// model (DESIGN §7) and the STP it predicts. Values as stored (the mini amplitude is
    /// a magnitude in files the demo writes).
    ReleaseModelSummary from "synapse_model" {
        /// Number of release sites.
        n_release_sites <- "ml_n_release_sites",
        /// Release probability at rest.
        base_release_probability <- "ml_base_release_probability",
        /// Amplitude of one quantum, volts.
        mini_amplitude_v <- "ml_mini_amplitude",
        /// Coefficient of variation of the quantal amplitude.
        mini_amplitude_cv <- "ml_mini_amplitude_cv",
        /// Fractional depression of release probability per release.
        depression_amount <- "ml_depression_amount",
        /// Recovery time constant of depression, seconds.
        depression_tau_s <- "ml_depression_tau",
        /// Fractional facilitation per spike.
        facilitation_amount <- "ml_facilitation_amount",
        /// Decay time constant of facilitation, seconds.
        facilitation_tau_s <- "ml_facilitation_tau",
        /// Measurement noise standard deviation, volts.
        measurement_stdev_v <- "ml_measurement_stdev",
        /// Quanta released per spike at rest.
        quanta_per_spike <- "ml_quanta_per_spike",
        /// Paired-pulse ratio at 50 Hz predicted by the model.
        paired_pulse_ratio_50hz <- "ml_paired_pulse_ratio_50hz",
        /// Induction at 50 Hz predicted by the model.
        stp_induction_50hz <- "ml_stp_induction_50hz",
        /// Recovery at 250 ms predicted by the model.
        stp_recovery_250ms <- "ml_stp_recovery_250ms",
    }
}

/// Gap-junction (electrical coupling) probability of a class pair.
///
/// A pair was **probed for a gap junction** when the database has a `gap_junction` row
/// for it: the analysis of its long-pulse recordings ran (the demo writes one for every
/// ordered inhibitory–inhibitory mouse pair). It **has** a gap junction when
/// `pair.has_electrical` is true. Pairs are ordered, as everywhere in a class pair, so
/// one coupled cell pair of a class onto itself counts twice. A file without a
/// `gap_junction` table has no probed pairs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapJunctionPrior {
    /// Pairs probed for a gap junction.
    pub n_probed: u64,
    /// Probed pairs with a gap junction.
    pub n_gap_junctions: u64,
    /// `n_gap_junctions / n_probed`; null when nothing was probed.
    pub probability: Option<f64>,
    /// Clopper–Pearson lower bound (at the priors' alpha); 0 when nothing was probed.
    pub ci_lower: f64,
    /// Clopper–Pearson upper bound; 1 when nothing was probed.
    pub ci_upper: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_of_nothing_are_null_with_count_zero() {
        assert_eq!(
            Quartiles::of(&[f64::NAN, f64::INFINITY]),
            Quartiles {
                median: None,
                iqr_lower: None,
                iqr_upper: None,
                count: 0
            }
        );
    }

    #[test]
    fn quartiles_of_one_value_are_that_value() {
        let q = Quartiles::of(&[-2e-4]);
        assert_eq!(
            (q.median, q.iqr_lower, q.iqr_upper, q.count),
            (Some(-2e-4), Some(-2e-4), Some(-2e-4), 1)
        );
    }

    #[test]
    fn columns_follow_the_fields() {
        let names: Vec<&str> = SynapseSummary::default()
            .quantities()
            .iter()
            .map(|(n, _)| *n)
            .collect();
        let listed: Vec<&str> = SynapseSummary::COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, listed);
        assert_eq!(
            SynapseSummary::COLUMNS[0],
            ("psp_amplitude_v", "synapse.psp_amplitude")
        );
    }
}
