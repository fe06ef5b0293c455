synapse_row! {
    /// A polysynaptic connection found for a pair: the presynaptic cell drives the
    /// postsynaptic one through one or more unrecorded intermediate cells. The columns
    /// are those of [`Synapse`](crate::Synapse), measured on the polysynaptic responses.
    pub struct PolySynapse in "poly_synapse";
}
