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
