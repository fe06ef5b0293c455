/// Declares a typed row struct and its [`TableRow`](crate::TableRow) implementation.
///
/// The field list must be the table's columns in catalogue order; a test checks every
/// row type against the catalogue.
macro_rules! table_row {
    (
        $(#[$struct_meta:meta])*
        pub struct $name:ident in $table:literal {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$struct_meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: $ty,
            )*
        }

        impl $crate::TableRow for $name {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
            const KINDS: &'static [$crate::ColumnKind] =
                &[$(<$ty as $crate::FieldValue>::KIND),*];

            fn from_values(values: Vec<$crate::Value>) -> $crate::Result<Self> {
                if values.len() != Self::COLUMNS.len() {
                    return Err($crate::Error::new($crate::ErrorKind::ColumnCount {
                        table: $table,
                        expected: Self::COLUMNS.len(),
                        found: values.len(),
                    }));
                }
                let mut values = values.into_iter();
                Ok($name {
                    $(
                        $field: $crate::FieldValue::from_value(
                            values.next().unwrap_or($crate::Value::Null),
                            concat!($table, ".", stringify!($field)),
                        )?,
                    )*
                })
            }

            fn to_values(&self) -> Vec<$crate::Value> {
                vec![$($crate::FieldValue::to_value(&self.$field)),*]
            }
        }
    };
}

/// Declares a row type with the column layout of `synapse`, which `poly_synapse` shares:
/// the strength and kinetics of one connection's resting-state responses.
macro_rules! synapse_row {
    (
        $(#[$struct_meta:meta])*
        pub struct $name:ident in $table:literal;
    ) => {
        table_row! {
            $(#[$struct_meta])*
            pub struct $name in $table {
                /// Row id.
                pub id: i64,
                /// The pair connected (`pair.id`).
                pub pair_id: Option<i64>,
                /// `"ex"` when the connection is excitatory, `"in"` when inhibitory
                /// (occasionally `"mixed"`).
                pub synapse_type: Option<String>,
                /// Time from the steepest rise of the presynaptic spike to the onset of the
                /// postsynaptic response, in seconds.
                pub latency: Option<f64>,
                /// Amplitude of the average resting-state postsynaptic potential (current
                /// clamp), in volts; negative for inhibitory connections.
                pub psp_amplitude: Option<f64>,
                /// Rise time of the average postsynaptic potential, in seconds.
                pub psp_rise_time: Option<f64>,
                /// Decay time constant of the average postsynaptic potential, in seconds.
                pub psp_decay_tau: Option<f64>,
                /// Amplitude of the average resting-state postsynaptic current (voltage
                /// clamp), in amperes.
                pub psc_amplitude: Option<f64>,
                /// Rise time of the average postsynaptic current, in seconds.
                pub psc_rise_time: Option<f64>,
                /// Decay time constant of the average postsynaptic current, in seconds.
                pub psc_decay_tau: Option<f64>,
                /// Further information as JSON.
                pub meta: Option<serde_json::Value>,
            }
        }
    };
}
