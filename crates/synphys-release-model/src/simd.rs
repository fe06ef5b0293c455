//! AVX2 + FMA versions of the inner loops, chosen at run time.
//!
//! The portable kernels ([`crate::kernel::terms_table`], [`crate::kernel::terms_formula`])
//! are written with 4-wide arrays that the compiler vectorises for the baseline target
//! (2-wide SSE2). On x86-64 CPUs with AVX2 and FMA the same computation runs 4-wide with
//! fused multiply-adds. The two agree to within a few ulp per term (tested); results are
//! bit-identical between any two machines that take the same path.
//!
//! This is the crate's only `unsafe` code (the workspace denies it elsewhere): calling a
//! function compiled for AVX2 + FMA is sound only after checking that the CPU has them,
//! which [`terms_table`] and [`terms_formula`] do on every call (the check is cached by
//! the standard library). Loads are unaligned: in the window planning each goes through
//! a slice already bounds-checked to 4 elements; the term kernels load 4 lanes
//! through raw pointers after checking once per event that the event's last chunk lies
//! inside every array it reads.
#![allow(unsafe_code)]

use crate::kernel::{Plan, Trial};

/// Phase 2 with table weights on the AVX2 + FMA path; `false` if the CPU lacks them.
#[inline]
pub(crate) fn terms_table<const DERIV: bool>(plan: &mut Plan, t: &Trial, table: &[f64]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        unsafe { x86::terms_table::<DERIV>(plan, t, table) };
        return true;
    }
    let _ = (plan, t, table);
    false
}

/// Phase 2 with formula weights on the AVX2 + FMA path; `false` if the CPU lacks them.
#[inline]
pub(crate) fn terms_formula<const DERIV: bool>(plan: &mut Plan, t: &Trial, ln_c: &[f64]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        unsafe { x86::terms_formula::<DERIV>(plan, t, ln_c) };
        return true;
    }
    let _ = (plan, t, ln_c);
    false
}

/// Phase 1 of a table evaluation (the windows of all events) on the AVX2 path, four
/// events at a time; `false` if the CPU lacks AVX2 and FMA.
#[inline]
pub(crate) fn plan_table(events: &crate::kernel::Events<'_>, t: &Trial, plan: &mut Plan) -> bool {
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        unsafe { x86::plan_table(events, t, plan) };
        return true;
    }
    let _ = (events, t, plan);
    false
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use crate::kernel::{Events, LANES, Plan, Trial};
    use std::arch::x86_64::*;

    /// Whether this CPU has AVX2 and FMA (cached by the standard library).
    #[inline]
    pub(super) fn available() -> bool {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn load(v: &[f64], at: usize) -> __m256d {
        let s = &v[at..at + 4];
        // SAFETY: `s` holds exactly 4 f64; the load is unaligned.
        unsafe { _mm256_loadu_pd(s.as_ptr()) }
    }

    /// 4-wide version of [`crate::kernel::exp`] (with fused multiply-adds).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    #[allow(clippy::excessive_precision, clippy::unreadable_literal)]
    fn exp4(a: __m256d) -> __m256d {
        const C: [f64; 13] = [
            1.0,
            1.0,
            0.5,
            0.16666666666666666,
            0.041666666666666664,
            0.008333333333333333,
            0.001388888888888889,
            0.0001984126984126984,
            2.48015873015873e-05,
            2.7557319223985893e-06,
            2.755731922398589e-07,
            2.505210838544172e-08,
            2.08767569878681e-09,
        ];
        let c = |i: usize| _mm256_set1_pd(C[i]);
        let shifter = _mm256_set1_pd(6_755_399_441_055_744.0);
        let x = _mm256_min_pd(
            _mm256_max_pd(a, _mm256_set1_pd(-708.0)),
            _mm256_set1_pd(709.0),
        );
        let shifted = _mm256_fmadd_pd(x, _mm256_set1_pd(std::f64::consts::LOG2_E), shifter);
        let kf = _mm256_sub_pd(shifted, shifter);
        let r = _mm256_fnmadd_pd(kf, _mm256_set1_pd(6.93147180369123816490e-01), x);
        let r = _mm256_fnmadd_pd(kf, _mm256_set1_pd(1.90821492927058770002e-10), r);
        let r2 = _mm256_mul_pd(r, r);
        let r4 = _mm256_mul_pd(r2, r2);
        let r8 = _mm256_mul_pd(r4, r4);
        let p01 = _mm256_fmadd_pd(c(1), r, c(0));
        let p23 = _mm256_fmadd_pd(c(3), r, c(2));
        let p45 = _mm256_fmadd_pd(c(5), r, c(4));
        let p67 = _mm256_fmadd_pd(c(7), r, c(6));
        let p89 = _mm256_fmadd_pd(c(9), r, c(8));
        let p1011 = _mm256_fmadd_pd(c(11), r, c(10));
        let p0_3 = _mm256_fmadd_pd(p23, r2, p01);
        let p4_7 = _mm256_fmadd_pd(p67, r2, p45);
        let p8_11 = _mm256_fmadd_pd(p1011, r2, p89);
        let p8_12 = _mm256_fmadd_pd(c(12), r4, p8_11);
        let p = _mm256_fmadd_pd(p8_12, r8, _mm256_fmadd_pd(p4_7, r4, p0_3));
        let k = _mm256_sub_epi64(_mm256_castpd_si256(shifted), _mm256_castpd_si256(shifter));
        let scale = _mm256_castsi256_pd(_mm256_slli_epi64::<52>(_mm256_add_epi64(
            k,
            _mm256_set1_epi64x(1023),
        )));
        let y = _mm256_mul_pd(p, scale);
        let underflow = _mm256_cmp_pd::<_CMP_LT_OQ>(a, _mm256_set1_pd(-708.0));
        _mm256_blendv_pd(y, _mm256_setzero_pd(), underflow)
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn sum(v: __m256d) -> f64 {
        let lo = _mm256_castpd256_pd128(v);
        let hi = _mm256_extractf128_pd::<1>(v);
        let a = _mm_add_sd(lo, _mm_unpackhi_pd(lo, lo));
        let b = _mm_add_sd(hi, _mm_unpackhi_pd(hi, hi));
        _mm_cvtsd_f64(_mm_add_sd(a, b))
    }

    /// The trial's per-k arrays in [`Trial`] field order, as raw pointers for the
    /// kernels' unchecked loads, and the length of the shortest.
    fn trial_f64(t: &Trial) -> ([*const f64; 9], usize) {
        let v = [
            &t.kq,
            &t.norm,
            &t.half_inv_var,
            &t.a1,
            &t.a2,
            &t.a3,
            &t.b0,
            &t.b1,
            &t.b2,
        ];
        (
            std::array::from_fn(|i| v[i].as_ptr()),
            v.iter().map(|a| a.len()).min().unwrap_or(0),
        )
    }

    /// One chunk of four terms k..k+4 with log-weights `$w`, added to the sums, read
    /// through raw pointers (`$f` from [`trial_f64`]); the caller has checked that all
    /// 4 lanes lie inside every array. A macro so that it is always inlined (functions
    /// with target features cannot be marked `inline(always)`).
    macro_rules! chunk {
        ($deriv:expr, $f:expr, $xv:expr, $k:expr, $w:expr, $l:ident, $l1:ident, $l2:ident) => {{
            let (f, k): (&[*const f64; 9], usize) = ($f, $k);
            // SAFETY: k..k+4 is inside every array (checked by the caller).
            let ld = |i: usize| unsafe { _mm256_loadu_pd(f[i].add(k)) };
            let r = _mm256_sub_pd($xv, ld(0));
            let base = _mm256_add_pd($w, ld(1));
            let a = _mm256_fnmadd_pd(_mm256_mul_pd(r, r), ld(2), base);
            let e = exp4(a);
            $l = _mm256_add_pd($l, e);
            if $deriv {
                let g = _mm256_fmadd_pd(_mm256_fmadd_pd(ld(4), r, ld(3)), r, ld(5));
                let h = _mm256_fmadd_pd(_mm256_fmadd_pd(ld(8), r, ld(7)), r, ld(6));
                $l1 = _mm256_fmadd_pd(e, g, $l1);
                $l2 = _mm256_fmadd_pd(e, _mm256_fmadd_pd(g, g, h), $l2);
            }
        }};
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn load_u32(v: &[u32], at: usize) -> __m256d {
        let s = &v[at..at + 4];
        // SAFETY: `s` holds exactly 4 u32 (16 bytes); the load is unaligned.
        let i = unsafe { _mm_loadu_si128(s.as_ptr().cast()) };
        _mm256_cvtepi32_pd(i)
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn to_u32(v: __m256d) -> [u32; 4] {
        let i = _mm256_cvttpd_epi32(v);
        let mut out = [0u32; 4];
        // SAFETY: `out` is 16 bytes; the store is unaligned.
        unsafe { _mm_storeu_si128(out.as_mut_ptr().cast(), i) };
        out
    }

    /// Four-wide [`crate::kernel::Trial::window`] over all events (the same bounds,
    /// computed with fused multiply-adds).
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn plan_table(ev: &Events<'_>, t: &Trial, plan: &mut Plan) {
        let n = ev.x.len();
        plan.clear_windows();
        plan.x.extend_from_slice(ev.x);
        plan.k0.resize(n, 0);
        plan.chunks.resize(n, 0);
        plan.src.resize(n, 0);
        let two_q = _mm256_set1_pd(2.0 * t.q);
        let z2a = _mm256_set1_pd(t.z2 * t.alpha);
        let z2s = _mm256_set1_pd(t.z2 * t.sigma2);
        let four_q2 = _mm256_set1_pd(4.0 * (t.q * t.q));
        let inv = _mm256_set1_pd(t.inv_2q2);
        let zero = _mm256_setzero_pd();
        let one = _mm256_set1_pd(1.0);
        let quarter = _mm256_set1_pd(1.0 / LANES as f64);
        let mut i = 0;
        while i + 4 <= n {
            let x = load(ev.x, i);
            let b = _mm256_fmadd_pd(x, two_q, z2a);
            let c = _mm256_fmsub_pd(x, x, z2s);
            let disc = _mm256_fnmadd_pd(four_q2, c, _mm256_mul_pd(b, b));
            let root = _mm256_sqrt_pd(_mm256_max_pd(disc, zero));
            let k_lo = _mm256_mul_pd(_mm256_sub_pd(b, root), inv);
            let k_hi = _mm256_mul_pd(_mm256_add_pd(b, root), inv);
            let lo = load_u32(ev.lo, i);
            let hi = _mm256_sub_pd(_mm256_add_pd(lo, load_u32(ev.len, i)), one);
            let from = _mm256_max_pd(_mm256_floor_pd(k_lo), lo);
            let to = _mm256_min_pd(_mm256_ceil_pd(k_hi), hi);
            let valid = _mm256_and_pd(
                _mm256_and_pd(
                    _mm256_cmp_pd::<_CMP_GE_OQ>(disc, zero),
                    _mm256_cmp_pd::<_CMP_GE_OQ>(k_hi, zero),
                ),
                _mm256_cmp_pd::<_CMP_LE_OQ>(from, to),
            );
            let chunks = _mm256_add_pd(
                _mm256_floor_pd(_mm256_mul_pd(_mm256_sub_pd(to, from), quarter)),
                one,
            );
            let chunks = _mm256_and_pd(chunks, valid);
            let src = _mm256_and_pd(
                _mm256_add_pd(load_u32(ev.offset, i), _mm256_sub_pd(from, lo)),
                valid,
            );
            let from = _mm256_and_pd(from, valid);
            plan.k0[i..i + 4].copy_from_slice(&to_u32(from));
            plan.chunks[i..i + 4].copy_from_slice(&to_u32(chunks));
            plan.src[i..i + 4].copy_from_slice(&to_u32(src));
            i += 4;
        }
        for j in i..n {
            let lo = ev.lo[j];
            let window = t.window(ev.x[j], lo, lo + ev.len[j] - 1);
            let (k0, chunks, src) = match window {
                Some((a, b)) => (a, (b - a) / LANES as u32 + 1, ev.offset[j] + (a - lo)),
                None => (0, 0, 0),
            };
            (plan.k0[j], plan.chunks[j], plan.src[j]) = (k0, chunks, src);
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn terms_table<const DERIV: bool>(plan: &mut Plan, t: &Trial, table: &[f64]) {
        plan.outputs();
        let (f, f_len) = trial_f64(t);
        for i in 0..plan.x.len() {
            let xv = _mm256_set1_pd(plan.x[i]);
            let (k0, src) = (plan.k0[i] as usize, plan.src[i] as usize);
            let chunks = plan.chunks[i] as usize;
            // Every load below reads 4 lanes from k0 + 4c (trial arrays) and src + 4c
            // (table) for c < chunks: check the last ones once per event.
            assert!(k0 + 4 * chunks <= f_len && src + 4 * chunks <= table.len());
            let (mut l, mut l1, mut l2) = (
                _mm256_setzero_pd(),
                _mm256_setzero_pd(),
                _mm256_setzero_pd(),
            );
            for c in 0..chunks {
                let j = c * 4;
                // SAFETY: src + j + 4 ≤ table.len() (checked above).
                let w = unsafe { _mm256_loadu_pd(table.as_ptr().add(src + j)) };
                chunk!(DERIV, &f, xv, k0 + j, w, l, l1, l2);
            }
            (plan.l[i], plan.l1[i], plan.l2[i]) = (sum(l), sum(l1), sum(l2));
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn terms_formula<const DERIV: bool>(plan: &mut Plan, t: &Trial, ln_c: &[f64]) {
        plan.outputs();
        let (f, f_len) = trial_f64(t);
        let offsets = _mm256_set_pd(3.0, 2.0, 1.0, 0.0);
        let four = _mm256_set1_pd(4.0);
        for i in 0..plan.x.len() {
            let xv = _mm256_set1_pd(plan.x[i]);
            let (k0, src) = (plan.k0[i] as usize, plan.src[i] as usize);
            let chunks = plan.chunks[i] as usize;
            // As in `terms_table`: the event's last chunk lies inside every array.
            assert!(k0 + 4 * chunks <= f_len && src + 4 * chunks <= ln_c.len());
            let (sites, lp, lq) = (
                _mm256_set1_pd(plan.sites[i]),
                _mm256_set1_pd(plan.lp[i]),
                _mm256_set1_pd(plan.lq[i]),
            );
            let (mut l, mut l1, mut l2) = (
                _mm256_setzero_pd(),
                _mm256_setzero_pd(),
                _mm256_setzero_pd(),
            );
            // k + lane as f64, stepped by 4 (exact: small integers).
            let mut kf = _mm256_add_pd(_mm256_set1_pd(k0 as f64), offsets);
            for c in 0..chunks {
                let k = k0 + c * 4;
                // SAFETY: src + 4c + 4 ≤ ln_c.len() (checked above).
                let row = unsafe { _mm256_loadu_pd(ln_c.as_ptr().add(src + c * 4)) };
                let w = _mm256_fmadd_pd(kf, lp, row);
                let w = _mm256_fmadd_pd(_mm256_sub_pd(sites, kf), lq, w);
                chunk!(DERIV, &f, xv, k, w, l, l1, l2);
                kf = _mm256_add_pd(kf, four);
            }
            (plan.l[i], plan.l1[i], plan.l2[i]) = (sum(l), sum(l1), sum(l2));
        }
    }
}
