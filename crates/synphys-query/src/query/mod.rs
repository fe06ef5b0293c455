//! The pair query (DESIGN §4): one row per ordered cell pair, filtered and with the
//! columns of the preloaded tables.

mod expr;
mod joins;

use sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, Query, SelectStatement};
use synphys_cellclass::{CellClass, CellTableAliases, CompareOp, Scalar};
use synphys_schema::{Column, Schema};

use crate::backend::QueryBackend;
use crate::error::{ErrorKind, Result};
use crate::frame::{ColumnSpec, Frame, FrameKind};

pub use expr::FilterExpr;
use joins::{JoinKind, TABLES};

/// The projects `experiment_type("standard multipatch")` stands for.
pub const STANDARD_MULTIPATCH_PROJECTS: [&str; 3] = [
    "mouse V1 coarse matrix",
    "mouse V1 pre-production",
    "human coarse matrix",
];

/// More test spikes than this make a pair probed (DESIGN §4, §6).
const TEST_SPIKE_LIMIT: i64 = 10;

/// Groups of tables whose columns a pair query returns besides `pair.*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Preload {
    /// `experiment.*` and `slice.*`.
    Experiment,
    /// Both cells' tables: `pre_cell.*`, `post_cell.*`, `pre_morphology.*`, …,
    /// `post_cortical_cell_location.*`.
    Cell,
    /// `synapse.*`, `resting_state_fit.*`, `dynamics.*`, `synapse_model.*`.
    Synapse,
    /// `synapse_prediction.*`.
    SynapsePrediction,
}

impl Preload {
    /// Every preload, in the order their columns appear.
    pub const ALL: [Preload; 4] = [
        Preload::Experiment,
        Preload::Cell,
        Preload::Synapse,
        Preload::SynapsePrediction,
    ];

    /// The name the reference uses (`"experiment"`, `"cell"`, `"synapse"`,
    /// `"synapse_prediction"`).
    pub fn name(self) -> &'static str {
        match self {
            Preload::Experiment => "experiment",
            Preload::Cell => "cell",
            Preload::Synapse => "synapse",
            Preload::SynapsePrediction => "synapse_prediction",
        }
    }

    /// The preload with this name.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidFilter`] listing the names.
    pub fn parse(name: &str) -> Result<Preload> {
        Preload::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                ErrorKind::InvalidFilter {
                    what: "preload",
                    given: name.to_string(),
                    reason: "preloads are experiment, cell, synapse and synapse_prediction"
                        .to_string(),
                }
                .into()
            })
    }

    /// The aliases of the tables whose columns it returns, in column order.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Preload::Experiment => &["experiment", "slice"],
            Preload::Cell => &[
                "pre_cell",
                "post_cell",
                "pre_morphology",
                "post_morphology",
                "pre_patch_seq",
                "post_patch_seq",
                "pre_intrinsic",
                "post_intrinsic",
                "pre_cortical_cell_location",
                "post_cortical_cell_location",
            ],
            Preload::Synapse => &["synapse", "resting_state_fit", "dynamics", "synapse_model"],
            Preload::SynapsePrediction => &["synapse_prediction"],
        }
    }
}

/// A pair query being built: filters (all combined with AND), preloads and deferred
/// columns. Nothing is checked until it runs ([`PairQuery::frame`],
/// [`PairQuery::count`]) or is rendered ([`PairQuery::sql`]); then every problem is an
/// error naming the filter.
///
/// Made by [`crate::SynphysDb::pair_query`] (or [`PairQuery::new`] on any
/// [`QueryBackend`]).
#[derive(Clone)]
pub struct PairQuery<'a> {
    backend: &'a dyn QueryBackend,
    pre_class: Option<CellClass>,
    post_class: Option<CellClass>,
    synapse: Option<bool>,
    synapse_type: Option<String>,
    synapse_probed: bool,
    electrical: Option<bool>,
    experiment_type: Option<String>,
    project_names: Option<Vec<String>>,
    acsf: Option<Vec<String>>,
    internal: Option<Vec<String>>,
    age: (Option<f64>, Option<f64>),
    distance_m: (Option<f64>, Option<f64>),
    species: Option<String>,
    filters: Vec<FilterSource>,
    preloads: Vec<Preload>,
    deferred: Vec<String>,
}

#[derive(Debug, Clone)]
enum FilterSource {
    Text(String),
    Parts(String, CompareOp, Scalar),
}

impl std::fmt::Debug for PairQuery<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PairQuery")
            .field("source", &self.backend.source())
            .field("synapse", &self.synapse)
            .field("synapse_type", &self.synapse_type)
            .field("preloads", &self.preloads)
            .finish_non_exhaustive()
    }
}

fn strings<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> Vec<String> {
    values.into_iter().map(|s| s.as_ref().to_string()).collect()
}

fn col(alias: &str, column: &str) -> Expr {
    Expr::col((Alias::new(alias), Alias::new(column)))
}

fn one_or_many(column: Expr, values: &[String]) -> Expr {
    match values {
        [one] => column.eq(one.as_str()),
        many => column.is_in(many.iter().map(String::as_str)),
    }
}

impl<'a> PairQuery<'a> {
    /// A query over every pair of `backend`, with no filter and only `pair.*` columns.
    pub fn new(backend: &'a dyn QueryBackend) -> PairQuery<'a> {
        PairQuery {
            backend,
            pre_class: None,
            post_class: None,
            synapse: None,
            synapse_type: None,
            synapse_probed: false,
            electrical: None,
            experiment_type: None,
            project_names: None,
            acsf: None,
            internal: None,
            age: (None, None),
            distance_m: (None, None),
            species: None,
            filters: Vec::new(),
            preloads: Vec::new(),
            deferred: Vec::new(),
        }
    }

    /// Only pairs whose presynaptic cell belongs to `class`.
    pub fn pre_class(mut self, class: &CellClass) -> Self {
        self.pre_class = Some(class.clone());
        self
    }

    /// Only pairs whose postsynaptic cell belongs to `class`.
    pub fn post_class(mut self, class: &CellClass) -> Self {
        self.post_class = Some(class.clone());
        self
    }

    /// Only pairs whose `pair.has_synapse` equals `has_synapse`.
    pub fn synapse(mut self, has_synapse: bool) -> Self {
        self.synapse = Some(has_synapse);
        self
    }

    /// Only pairs whose synapse is of this type: `"ex"`, `"in"` or `"mixed"` (anything
    /// else is an error when the query runs). A
    /// [`synphys_cellclass::SynapseType`] converts with `as_str()`.
    pub fn synapse_type(mut self, synapse_type: impl AsRef<str>) -> Self {
        self.synapse_type = Some(synapse_type.as_ref().to_string());
        self
    }

    /// With `true`, only pairs probed for a connection: presynaptic `cell_class` `ex`
    /// and more than 10 excitatory test spikes, `in` and more than 10 inhibitory ones,
    /// or more than 10 of both. `false` removes the filter.
    pub fn synapse_probed(mut self, probed: bool) -> Self {
        self.synapse_probed = probed;
        self
    }

    /// Only pairs whose `pair.has_electrical` equals `has_electrical`.
    pub fn electrical(mut self, has_electrical: bool) -> Self {
        self.electrical = Some(has_electrical);
        self
    }

    /// Only pairs from this type of experiment; `"standard multipatch"` (the only type)
    /// means the projects of [`STANDARD_MULTIPATCH_PROJECTS`] (those the file lacks
    /// simply select nothing). Cannot be combined with [`PairQuery::project_names`].
    pub fn experiment_type(mut self, experiment_type: &str) -> Self {
        self.experiment_type = Some(experiment_type.to_string());
        self
    }

    /// Only pairs from experiments of these projects; each must exist in the database.
    pub fn project_names<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.project_names = Some(strings(names));
        self
    }

    /// Only pairs from experiments with one of these ACSF recipes.
    pub fn acsf<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.acsf = Some(strings(names));
        self
    }

    /// Only pairs from experiments with one of these internal solutions.
    pub fn internal<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.internal = Some(strings(names));
        self
    }

    /// Only pairs whose donor age (`slice.age`, days) is within the bounds (inclusive;
    /// `None` leaves a side open).
    pub fn age(mut self, min_days: Option<f64>, max_days: Option<f64>) -> Self {
        self.age = (min_days, max_days);
        self
    }

    /// Only pairs whose `pair.distance` (metres) is within the bounds (inclusive;
    /// `None` leaves a side open).
    pub fn distance_m(mut self, min_m: Option<f64>, max_m: Option<f64>) -> Self {
        self.distance_m = (min_m, max_m);
        self
    }

    /// Only pairs whose `slice.species` equals `species`.
    pub fn species(mut self, species: &str) -> Self {
        self.species = Some(species.to_string());
        self
    }

    /// An extra `column op value` condition written as text, e.g.
    /// `"pair.distance < 1e-4"`, `"pre_cell.cre_type == 'sst'"`,
    /// `"synapse.latency is not null"`; see [`FilterExpr::parse`].
    pub fn filter(mut self, expression: &str) -> Self {
        self.filters
            .push(FilterSource::Text(expression.to_string()));
        self
    }

    /// An extra `column op value` condition; `column` is `alias.column`
    /// (`pair.distance`, `pre_cell.cre_type`, …). Comparing with null (`==` / `!=`)
    /// tests for null.
    pub fn filter_expr(mut self, column: &str, op: CompareOp, value: impl Into<Scalar>) -> Self {
        self.filters
            .push(FilterSource::Parts(column.to_string(), op, value.into()));
        self
    }

    /// Also return the columns of `preload`'s tables.
    pub fn preload(mut self, preload: Preload) -> Self {
        if !self.preloads.contains(&preload) {
            self.preloads.push(preload);
        }
        self
    }

    /// Also return a deferred (large) column, named `alias.column`, e.g.
    /// `"dynamics.stp_all_stimuli"`.
    pub fn with_deferred(mut self, column: &str) -> Self {
        if !self.deferred.iter().any(|c| c == column) {
            self.deferred.push(column.to_string());
        }
        self
    }

    /// The result columns: `pair.*`, each preload's tables, and the deferred columns
    /// asked for, each with its catalogue column.
    fn result_columns(&self) -> Result<Vec<(&'static str, &'static Column)>> {
        let schema = Schema::v22();
        let mut deferred: Vec<(&'static str, &'static Column)> = Vec::new();
        for name in &self.deferred {
            let (alias, column) = expr::resolve(name)?;
            if !column.deferred {
                return Err(ErrorKind::InvalidFilter {
                    what: "deferred column",
                    given: name.clone(),
                    reason: "it is not deferred: it comes with its table's preload".to_string(),
                }
                .into());
            }
            deferred.push((alias, column));
        }
        let mut aliases: Vec<&'static str> = vec!["pair"];
        for preload in Preload::ALL {
            if self.preloads.contains(&preload) {
                aliases.extend(preload.aliases());
            }
        }
        let mut out = Vec::new();
        for alias in &aliases {
            let table = joins::by_alias(alias)
                .and_then(|j| schema.table(j.table))
                .ok_or_else(|| ErrorKind::InvalidFilter {
                    what: "table alias",
                    given: (*alias).to_string(),
                    reason: "not in the schema catalogue".to_string(),
                })?;
            for column in table.columns {
                if !column.deferred
                    || deferred
                        .iter()
                        .any(|(a, c)| a == alias && c.name == column.name)
                {
                    out.push((*alias, column));
                }
            }
        }
        for (alias, column) in deferred {
            if !aliases.contains(&alias) {
                out.push((alias, column));
            }
        }
        Ok(out)
    }

    /// The aliases this database can join: tables it lacks (small files have no
    /// `synapse_prediction`) are left out, with whatever joins through them.
    fn joinable(&self) -> Result<Vec<&'static str>> {
        let mut present: Vec<&'static str> = Vec::new();
        for table in TABLES {
            let reachable = table.join == JoinKind::Root || present.contains(&table.on.1);
            if reachable && self.backend.has_table(table.table)? {
                present.push(table.alias);
            }
        }
        Ok(present)
    }

    /// Checks that every alias in `used` can be joined.
    fn require_joined(&self, present: &[&str], used: &str, needed_for: &str) -> Result<()> {
        if present.contains(&used) {
            return Ok(());
        }
        let table = joins::by_alias(used).map_or(used, |j| j.table);
        Err(ErrorKind::MissingTable {
            path: self.backend.source().to_path_buf(),
            table: table.to_string(),
            needed_for: needed_for.to_string(),
        }
        .into())
    }

    /// The aliases the statement must join: the inner joins (which can drop pairs),
    /// the tables of the result columns and of the filters, and the tables those join
    /// through. Outer joins nothing reads are left out: they cannot change the rows
    /// (each joins at most one row per pair in the dataset) and cost an index lookup
    /// per pair.
    fn needed(
        &self,
        filters: &[FilterExpr],
        columns: &[(&'static str, &'static Column)],
    ) -> Vec<&'static str> {
        let mut needed: Vec<&'static str> = TABLES
            .iter()
            .filter(|t| t.join != JoinKind::Outer)
            .map(|t| t.alias)
            .collect();
        needed.extend(columns.iter().map(|(alias, _)| *alias));
        needed.extend(filters.iter().map(FilterExpr::alias));
        if self.synapse_type.is_some() {
            needed.push("synapse");
        }
        if self.species.is_some() || self.age != (None, None) {
            needed.push("slice");
        }
        for (class, prefix) in [(&self.pre_class, "pre_"), (&self.post_class, "post_")] {
            if class.is_some() {
                needed.extend(
                    TABLES
                        .iter()
                        .map(|t| t.alias)
                        .filter(|a| a.starts_with(prefix)),
                );
            }
        }
        // Close over the join chain (resting_state_fit joins through synapse).
        for table in TABLES.iter().rev() {
            if needed.contains(&table.alias) && table.join != JoinKind::Root {
                needed.push(table.on.1);
            }
        }
        needed
    }

    /// The joins, the filters and the result columns as a sea-query statement.
    fn statement(&self, count_only: bool) -> Result<(SelectStatement, Vec<ColumnSpec>)> {
        let present = self.joinable()?;
        let filters = self.filter_exprs()?;
        for expr in &filters {
            self.require_joined(
                &present,
                expr.alias(),
                &format!("filter on {}", expr.column_name()),
            )?;
        }
        let columns = if count_only {
            Vec::new()
        } else {
            self.result_columns()?
        };
        let needed = self.needed(&filters, &columns);
        let mut select = Query::select();
        select.from_as(Alias::new("pair"), Alias::new("pair"));
        for table in TABLES {
            let join = match table.join {
                JoinKind::Root => continue,
                _ if !present.contains(&table.alias) || !needed.contains(&table.alias) => continue,
                JoinKind::Inner => JoinType::InnerJoin,
                JoinKind::Outer => JoinType::LeftJoin,
            };
            let (column, other_alias, other_column) = table.on;
            select.join_as(
                join,
                Alias::new(table.table),
                Alias::new(table.alias),
                col(table.alias, column)
                    .equals((Alias::new(other_alias), Alias::new(other_column))),
            );
        }
        select.cond_where(self.condition(&filters)?);
        let mut specs = Vec::new();
        if count_only {
            select.expr(Expr::col(sea_query::Asterisk).count());
        } else {
            for (alias, column) in columns {
                let name = format!("{alias}.{}", column.name);
                self.require_joined(&present, alias, &format!("return column {name}"))?;
                select.expr_as(col(alias, column.name), Alias::new(name.as_str()));
                specs.push(ColumnSpec {
                    name,
                    kind: Some(FrameKind::of(column.kind)),
                });
            }
            // Stable row order: by pair id, as the pairs were written.
            select.order_by(
                (Alias::new("pair"), Alias::new("id")),
                sea_query::Order::Asc,
            );
        }
        Ok((select, specs))
    }

    /// The extra `column op value` filters, validated.
    fn filter_exprs(&self) -> Result<Vec<FilterExpr>> {
        self.filters
            .iter()
            .map(|filter| match filter {
                FilterSource::Text(text) => FilterExpr::parse(text),
                FilterSource::Parts(column, op, value) => {
                    FilterExpr::new(column, *op, value.clone())
                }
            })
            .collect()
    }

    fn invalid(what: &'static str, given: &str, reason: impl Into<String>) -> crate::Error {
        ErrorKind::InvalidFilter {
            what,
            given: given.to_string(),
            reason: reason.into(),
        }
        .into()
    }

    /// The WHERE condition of every filter.
    fn condition(&self, filters: &[FilterExpr]) -> Result<Condition> {
        let mut all = Condition::all();
        if let Some(class) = &self.pre_class {
            all = all.add(class.sql_condition(&CellTableAliases::pre()));
        }
        if let Some(class) = &self.post_class {
            all = all.add(class.sql_condition(&CellTableAliases::post()));
        }
        if let Some(b) = self.synapse {
            all = all.add(col("pair", "has_synapse").eq(b));
        }
        if let Some(t) = &self.synapse_type {
            if !["ex", "in", "mixed"].contains(&t.as_str()) {
                return Err(Self::invalid(
                    "synapse_type",
                    t,
                    "synapse_type must be \"ex\", \"in\" or \"mixed\"",
                ));
            }
            all = all.add(col("synapse", "synapse_type").eq(t.as_str()));
        }
        if self.synapse_probed {
            let ex = || col("pair", "n_ex_test_spikes").gt(TEST_SPIKE_LIMIT);
            let inh = || col("pair", "n_in_test_spikes").gt(TEST_SPIKE_LIMIT);
            all = all.add(
                Condition::any()
                    .add(col("pre_cell", "cell_class").eq("ex").and(ex()))
                    .add(col("pre_cell", "cell_class").eq("in").and(inh()))
                    .add(ex().and(inh())),
            );
        }
        if let Some(b) = self.electrical {
            all = all.add(col("pair", "has_electrical").eq(b));
        }
        if let Some(projects) = self.projects()? {
            // Names the user gave must exist; the projects `experiment_type` stands for
            // need not all be in every file (the reference would refuse a file lacking
            // one of them, which only makes the filter unusable on partial files).
            let available = if self.project_names.is_some() {
                self.backend.project_names()?
            } else {
                projects.clone()
            };
            if let Some(missing) = projects.iter().find(|p| !available.contains(p)) {
                return Err(ErrorKind::UnknownProject {
                    path: self.backend.source().to_path_buf(),
                    name: missing.clone(),
                    available,
                }
                .into());
            }
            all = all.add(one_or_many(col("experiment", "project_name"), &projects));
        }
        if let Some(acsf) = &self.acsf {
            all = all.add(one_or_many(col("experiment", "acsf"), acsf));
        }
        if let Some(internal) = &self.internal {
            all = all.add(one_or_many(col("experiment", "internal"), internal));
        }
        all = range(all, col("slice", "age"), self.age, "age")?;
        all = range(all, col("pair", "distance"), self.distance_m, "distance")?;
        if let Some(species) = &self.species {
            all = all.add(col("slice", "species").eq(species.as_str()));
        }
        for expr in filters {
            all = all.add(expr.condition());
        }
        Ok(all)
    }

    /// The project names to filter on, from `experiment_type` or `project_names`.
    fn projects(&self) -> Result<Option<Vec<String>>> {
        match (&self.experiment_type, &self.project_names) {
            (Some(t), Some(_)) => Err(Self::invalid(
                "experiment_type",
                t,
                "give either experiment_type or project_names, not both",
            )),
            // The tutorial spells it with an underscore.
            (Some(t), None) if t == "standard multipatch" || t == "standard_multipatch" => {
                Ok(Some(strings(STANDARD_MULTIPATCH_PROJECTS)))
            }
            (Some(t), None) => Err(Self::invalid(
                "experiment_type",
                t,
                "the only experiment type is \"standard multipatch\"",
            )),
            (None, Some(names)) if names.is_empty() => Err(Self::invalid(
                "project_names",
                "[]",
                "give at least one project name",
            )),
            (None, names) => Ok(names.clone()),
        }
    }

    /// The SQL text the query runs, with `?` placeholders, and the bound values (for
    /// debugging and for running the same statement elsewhere).
    ///
    /// # Errors
    ///
    /// As [`PairQuery::frame`], without running anything.
    pub fn sql_with_values(&self) -> Result<(String, sea_query::Values)> {
        let (select, _) = self.statement(false)?;
        Ok(self.backend.render(&select))
    }

    /// The SQL text the query runs, with placeholders.
    ///
    /// # Errors
    ///
    /// As [`PairQuery::frame`], without running anything.
    pub fn sql(&self) -> Result<String> {
        self.sql_with_values().map(|(sql, _)| sql)
    }

    /// The result columns' names, in order, without running the query.
    ///
    /// # Errors
    ///
    /// For an unknown or non-deferred column given to [`PairQuery::with_deferred`].
    pub fn column_names(&self) -> Result<Vec<String>> {
        Ok(self
            .result_columns()?
            .into_iter()
            .map(|(alias, c)| format!("{alias}.{}", c.name))
            .collect())
    }

    /// Runs the query.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidFilter`] for a bad filter, preload or deferred column,
    /// [`ErrorKind::UnknownProject`] for a project name the database lacks, database
    /// errors, and values that do not fit their column.
    pub fn frame(&self) -> Result<Frame> {
        let (select, specs) = self.statement(false)?;
        let (sql, values) = self.backend.render(&select);
        // At most one row per pair.
        let rows_hint = self.backend.rows_hint("pair")?;
        self.backend.fetch(&sql, &values, &specs, rows_hint)
    }

    /// The number of pairs the query selects, counted by the database.
    ///
    /// # Errors
    ///
    /// As [`PairQuery::frame`].
    pub fn count(&self) -> Result<u64> {
        let (select, _) = self.statement(true)?;
        let (sql, values) = self.backend.render(&select);
        self.backend.count(&sql, &values)
    }
}

fn range(
    all: Condition,
    column: Expr,
    (min, max): (Option<f64>, Option<f64>),
    what: &'static str,
) -> Result<Condition> {
    if min.is_some_and(f64::is_nan) || max.is_some_and(f64::is_nan) {
        return Err(ErrorKind::InvalidFilter {
            what,
            given: format!("({min:?}, {max:?})"),
            reason: "bounds must be numbers, not NaN".to_string(),
        }
        .into());
    }
    let mut all = all;
    if let Some(min) = min {
        all = all.add(column.clone().gte(min));
    }
    if let Some(max) = max {
        all = all.add(column.lte(max));
    }
    Ok(all)
}

impl crate::SynphysDb {
    /// A pair query over this database (see [`PairQuery`]).
    pub fn pair_query(&self) -> PairQuery<'_> {
        PairQuery::new(self)
    }
}
