//! Parallel, shardable search of a parameter space.

// Loops over events index several parallel arrays at once.
#![allow(clippy::needless_range_loop)]
use crate::binomial::Coefficients;
use crate::engine::{
    DepletionTable, FixedTable, LnCoefficients, Shape, Synapse, Trajectory, Work, optimise_point,
    release_probabilities, score_at, starting_point,
};
use crate::error::{Error, ErrorKind, Result};
use crate::params::Param;
use crate::shard::ShardResult;
use crate::space::ParamSpace;
use crate::summary::SearchResult;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Progress of a running search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Points finished.
    pub done: u64,
    /// Points in the search (or in the shard).
    pub total: u64,
}

/// A search of a [`ParamSpace`] for one synapse's events: the score (and the optimised
/// mini amplitude) at every point, computed in parallel with rayon.
///
/// ```
/// use synphys_release_model::{Param, ParamSpace, ReleaseModel, ReleaseParams, Search};
/// use rand::SeedableRng;
/// let truth = ReleaseParams::builder()
///     .n_release_sites(2).base_release_probability(0.5).mini_amplitude(0.3e-3)
///     .mini_amplitude_cv(0.2).depression_amount(0.0).depression_tau(0.1)
///     .facilitation_amount(0.0).facilitation_tau(0.1).measurement_stdev(0.05e-3)
///     .build()?;
/// let times: Vec<f64> = (0..200).map(|i| i as f64 * 10.0).collect();
/// let mut rng = rand_pcg::Pcg64::seed_from_u64(1);
/// let amps = ReleaseModel::new(truth).random(&times, &mut rng)?.amplitudes();
/// let space = ParamSpace::builder()
///     .axis(Param::NReleaseSites, vec![1.0, 2.0, 3.0])
///     .axis(Param::BaseReleaseProbability, vec![0.25, 0.5, 0.75])
///     .fixed(Param::MiniAmplitudeCv, 0.2)
///     .fixed(Param::DepressionAmount, 0.0)
///     .fixed(Param::DepressionTau, 0.1)
///     .fixed(Param::FacilitationAmount, 0.0)
///     .fixed(Param::FacilitationTau, 0.1)
///     .fixed(Param::MeasurementStdev, 0.05e-3)
///     .build()?;
/// let result = Search::new(&space, &times, &amps).run()?;
/// let best = result.best().expect("a finite score");
/// assert_eq!(best.params.n_release_sites(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Search<'a> {
    space: &'a ParamSpace,
    spike_times: &'a [f64],
    amplitudes: &'a [f64],
    coefficients: Coefficients,
    missing_event_penalty: f64,
    threads: Option<usize>,
    progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    cancel: Option<&'a AtomicBool>,
}

impl std::fmt::Debug for Search<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("points", &self.space.len())
            .field("events", &self.spike_times.len())
            .field("coefficients", &self.coefficients)
            .field("missing_event_penalty", &self.missing_event_penalty)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl<'a> Search<'a> {
    /// A search of `space` for events at `spike_times` (seconds) with `amplitudes`
    /// (volts; NaN for missing events).
    pub fn new(space: &'a ParamSpace, spike_times: &'a [f64], amplitudes: &'a [f64]) -> Search<'a> {
        Search {
            space,
            spike_times,
            amplitudes,
            coefficients: Coefficients::Exact,
            missing_event_penalty: 0.0,
            threads: None,
            progress: None,
            cancel: None,
        }
    }

    /// Binomial coefficient source (default exact).
    pub fn coefficients(mut self, coefficients: Coefficients) -> Self {
        self.coefficients = coefficients;
        self
    }

    /// Missing-event penalty in seconds (default 0).
    pub fn missing_event_penalty(mut self, seconds: f64) -> Self {
        self.missing_event_penalty = seconds;
        self
    }

    /// Number of worker threads (default: rayon's global pool).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// A callback told of progress after each batch of points (from worker threads).
    pub fn progress(mut self, callback: &'a (dyn Fn(Progress) + Sync)) -> Self {
        self.progress = Some(callback);
        self
    }

    /// A flag that cancels the search when set; `run` then returns
    /// [`ErrorKind::Cancelled`].
    pub fn cancel_flag(mut self, flag: &'a AtomicBool) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// Searches every point.
    pub fn run(&self) -> Result<SearchResult> {
        let ctx = Context::new(self)?;
        let len = self.space.len();
        let score: Vec<AtomicU64> = (0..len)
            .map(|_| AtomicU64::new(f64::NAN.to_bits()))
            .collect();
        let q: Vec<AtomicU64> = (0..len)
            .map(|_| AtomicU64::new(f64::NAN.to_bits()))
            .collect();
        let classes: Vec<usize> = (0..ctx.classes.len()).collect();
        self.execute(&ctx, &classes, len as u64, &|flat, s, m| {
            score[flat].store(s.to_bits(), Ordering::Relaxed);
            q[flat].store(m.to_bits(), Ordering::Relaxed);
        })?;
        let unpack = |v: Vec<AtomicU64>| {
            v.into_iter()
                .map(|a| f64::from_bits(a.into_inner()))
                .collect()
        };
        SearchResult::from_parts(
            self.space.clone(),
            unpack(score),
            unpack(q),
            ctx.syn.n_counted,
            crate::shard::fingerprint(
                self.spike_times,
                self.amplitudes,
                self.missing_event_penalty,
                self.coefficients,
            ),
        )
    }

    /// Searches shard `index` of `count`: the classes of points that share a
    /// release-probability trajectory, dealt round-robin, so that shards are disjoint,
    /// cover the space together, and do not depend on the machine or thread count.
    pub fn run_shard(&self, index: usize, count: usize) -> Result<ShardResult> {
        if count == 0 || index >= count {
            return Err(Error::new(ErrorKind::InvalidShard { index, count }));
        }
        let ctx = Context::new(self)?;
        let classes: Vec<usize> = (index..ctx.classes.len()).step_by(count).collect();
        let total: u64 = classes.iter().map(|&c| ctx.class_points(c) as u64).sum();
        let records = std::sync::Mutex::new(Vec::with_capacity(total as usize));
        let buffer = |flat: usize, s: f64, m: f64| {
            if let Ok(mut r) = records.lock() {
                r.push((flat as u64, s, m));
            }
        };
        self.execute(&ctx, &classes, total, &buffer)?;
        let mut records = records.into_inner().unwrap_or_default();
        records.sort_unstable_by_key(|r| r.0);
        Ok(ShardResult::new(
            self.space.clone(),
            index,
            count,
            crate::shard::fingerprint(
                self.spike_times,
                self.amplitudes,
                self.missing_event_penalty,
                self.coefficients,
            ),
            ctx.syn.n_counted,
            records,
        ))
    }

    fn execute(
        &self,
        ctx: &Context<'_>,
        classes: &[usize],
        total: u64,
        write: &(dyn Fn(usize, f64, f64) + Sync),
    ) -> Result<()> {
        let done = AtomicU64::new(0);
        // Depletion-mode classes that differ only in depression τ share their tables
        // (see `Context::process`): taking them one after another lets each thread reuse
        // them. The order of the classes changes neither the points computed nor their
        // results.
        let mut classes = classes.to_vec();
        classes.sort_by_key(|&c| {
            let class = &ctx.classes[c];
            (class.pr, class.da, class.fa, class.ft, class.dt)
        });
        let work = || {
            classes
                .par_iter()
                .for_each_init(Scratch::default, |scratch, &c| {
                    if self.cancel.is_some_and(|f| f.load(Ordering::Relaxed)) {
                        return;
                    }
                    let points = ctx.process(c, scratch, write);
                    let now = done.fetch_add(points as u64, Ordering::Relaxed) + points as u64;
                    if let Some(progress) = self.progress {
                        progress(Progress { done: now, total });
                    }
                });
        };
        match self.threads {
            None => work(),
            Some(threads) => rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| {
                    Error::new(ErrorKind::ThreadPool {
                        threads,
                        reason: e.to_string(),
                    })
                })?
                .install(work),
        }
        let completed = done.load(Ordering::Relaxed);
        if completed < total {
            return Err(Error::new(ErrorKind::Cancelled { completed, total }));
        }
        Ok(())
    }
}

/// Per-thread buffers, reused across classes so the inner loops allocate nothing.
#[derive(Default)]
struct Scratch {
    probs: Trajectory,
    fixed: FixedTable,
    /// Depletion-mode tables per n choice, for the (Pr, facilitation amount,
    /// facilitation τ) choices in `depletion_key` (see [`Context::process`]).
    depletion: Vec<DepletionTable>,
    depletion_key: Option<(usize, usize, usize)>,
    work: Work,
    results: Vec<(usize, f64, f64)>,
}

/// A class of grid points sharing one release-probability trajectory: a representative
/// (Pr, depression, facilitation) choice and the group offsets it stands for (depression
/// τ is irrelevant when depression_amount is 0, facilitation τ when facilitation_amount
/// is 0 — the trajectories are then bit-identical, so are the results).
struct Class {
    pr: usize,
    da: usize,
    dt: usize,
    fa: usize,
    ft: usize,
    members: Vec<usize>,
}

type Choices = Vec<(f64, usize)>;

struct Context<'a> {
    syn: Synapse,
    ln_c: LnCoefficients,
    optimise: bool,
    sigma_min: f64,
    n: Choices,
    pr: Choices,
    q: Choices,
    cv: Choices,
    da: Choices,
    fa: Choices,
    sigma: Choices,
    dep_decay: Vec<Vec<f64>>,
    fac_decay: Vec<Vec<f64>>,
    classes: Vec<Class>,
    _space: &'a ParamSpace,
}

impl<'a> Context<'a> {
    fn new(search: &Search<'a>) -> Result<Context<'a>> {
        let space = search.space;
        let syn = Synapse::new(
            search.spike_times,
            search.amplitudes,
            search.missing_event_penalty,
        )?;
        if syn.n_counted == 0 {
            return Err(Error::new(ErrorKind::NoMeasuredEvents));
        }
        let ch = |p: Param| space.choices(p);
        let n = ch(Param::NReleaseSites);
        let n_max = n.iter().map(|c| c.0 as u32).max().unwrap_or(1);
        let ln_c = LnCoefficients::new(n_max, search.coefficients)?;
        let sigma = ch(Param::MeasurementStdev);
        let sigma_min = sigma.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
        let (pr, da, dt, fa, ft) = (
            ch(Param::BaseReleaseProbability),
            ch(Param::DepressionAmount),
            ch(Param::DepressionTau),
            ch(Param::FacilitationAmount),
            ch(Param::FacilitationTau),
        );
        let dep_decay = dt.iter().map(|c| syn.decay(c.0)).collect();
        let fac_decay = ft.iter().map(|c| syn.decay(c.0)).collect();
        let mut classes = Vec::new();
        for pr_i in 0..pr.len() {
            for da_i in 0..da.len() {
                let dt_all = da[da_i].0 == 0.0;
                for dt_i in 0..if dt_all { 1 } else { dt.len() } {
                    for fa_i in 0..fa.len() {
                        let ft_all = fa[fa_i].0 == 0.0;
                        for ft_i in 0..if ft_all { 1 } else { ft.len() } {
                            let dts: Vec<usize> = if dt_all {
                                (0..dt.len()).collect()
                            } else {
                                vec![dt_i]
                            };
                            let fts: Vec<usize> = if ft_all {
                                (0..ft.len()).collect()
                            } else {
                                vec![ft_i]
                            };
                            let mut members = Vec::with_capacity(dts.len() * fts.len());
                            for &d in &dts {
                                for &f in &fts {
                                    members.push(
                                        pr[pr_i].1 + da[da_i].1 + dt[d].1 + fa[fa_i].1 + ft[f].1,
                                    );
                                }
                            }
                            classes.push(Class {
                                pr: pr_i,
                                da: da_i,
                                dt: dt_i,
                                fa: fa_i,
                                ft: ft_i,
                                members,
                            });
                        }
                    }
                }
            }
        }
        Ok(Context {
            syn,
            ln_c,
            optimise: space.optimises_mini_amplitude(),
            sigma_min,
            n,
            pr,
            q: ch(Param::MiniAmplitude),
            cv: ch(Param::MiniAmplitudeCv),
            da,
            fa,
            sigma,
            dep_decay,
            fac_decay,
            classes,
            _space: space,
        })
    }

    fn class_points(&self, c: usize) -> usize {
        self.classes[c].members.len()
            * self.n.len()
            * self.q.len()
            * self.cv.len()
            * self.sigma.len()
    }

    /// Computes one class and writes every member point; returns the point count.
    fn process(
        &self,
        c: usize,
        s: &mut Scratch,
        write: &(dyn Fn(usize, f64, f64) + Sync),
    ) -> usize {
        let class = &self.classes[c];
        let base = self.pr[class.pr].0;
        let depletion = self.da[class.da].0 == -1.0;
        let dep_amount = if depletion { 0.0 } else { self.da[class.da].0 };
        release_probabilities(
            base,
            dep_amount,
            &self.dep_decay[class.dt],
            self.fa[class.fa].0,
            &self.fac_decay[class.ft],
            &mut s.probs,
        );
        let recovery = &self.dep_decay[class.dt];
        s.results.clear();
        // In depletion mode the release probability does not depend on depression τ
        // (its amount is 0), so the τ-independent part of the tables is built once per
        // (Pr, facilitation amount, facilitation τ) and n.
        let depletion_key = (class.pr, class.fa, class.ft);
        let reuse = depletion && s.depletion_key == Some(depletion_key);
        if depletion && !reuse {
            s.depletion_key = Some(depletion_key);
            s.depletion
                .resize_with(self.n.len(), DepletionTable::default);
        }
        for (n_index, &(nf, n_off)) in self.n.iter().enumerate() {
            let n = nf as u32;
            let start = if self.optimise {
                starting_point(
                    &self.syn,
                    n,
                    base,
                    &s.probs.p,
                    depletion.then_some(recovery.as_slice()),
                )
                .ok()
                .map(|sp| sp.corrected)
            } else {
                None
            };
            let shape = if depletion {
                let table = &mut s.depletion[n_index];
                if !reuse {
                    table.build_sites(&self.syn, n, &s.probs, &self.ln_c, self.sigma_min);
                }
                table.set_recovery(&self.syn, recovery);
                Shape::Depletion(&s.depletion[n_index])
            } else {
                s.fixed
                    .build(&self.syn, n, &s.probs, &self.ln_c, self.sigma_min);
                Shape::Fixed(&s.fixed)
            };
            for &(sigma, s_off) in &self.sigma {
                for &(cv, cv_off) in &self.cv {
                    for &(qv, q_off) in &self.q {
                        let offset = n_off + s_off + cv_off + q_off;
                        let (score, q) = if self.optimise {
                            match start {
                                Some(start) => {
                                    let fit =
                                        optimise_point(shape, n, start, cv, sigma, &mut s.work);
                                    (fit.score, fit.q)
                                }
                                None => (f64::NAN, f64::NAN),
                            }
                        } else {
                            (score_at(shape, n, qv, cv, sigma, &mut s.work), qv)
                        };
                        s.results.push((offset, score, q));
                    }
                }
            }
        }
        for &member in &class.members {
            for &(offset, score, q) in &s.results {
                write(member + offset, score, q);
            }
        }
        class.members.len() * s.results.len()
    }
}
