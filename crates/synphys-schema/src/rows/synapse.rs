synapse_row! {
    /// A chemical synapse found between the cells of a pair, with the strength and
    /// kinetics of its resting-state responses.
    pub struct Synapse in "synapse";
}
