//! AVX2 + FMA version of the inner loop, chosen at run time.
//!
//! The portable kernel ([`crate::kernel::terms_grouped`]) is written with 4-wide arrays
//! that the compiler vectorises for the baseline target (2-wide SSE2). On x86-64 CPUs
//! with AVX2 and FMA the same computation runs 4-wide with fused multiply-adds. The two
//! agree to within a few ulp per term (tested); results are bit-identical between any
//! two machines that take the same path.
//!
//! This is the crate's only `unsafe` code (the workspace denies it elsewhere): calling a
//! function compiled for AVX2 + FMA is sound only after checking that the CPU has them,
//! which [`terms_grouped`] does on every call (the check is cached by the standard
//! library). Loads are unaligned: the per-lane loads go through slices already
//! bounds-checked to 4 elements; the per-k loads of a group (its weight rows, the
//! trial's per-k constants, its ln-coefficient row) go through raw pointers after
//! checking once per group that the group's first and last k lie inside every array
//! they read.
#![allow(unsafe_code)]

use crate::kernel::{Accumulator, Grouped, Trial};

/// Evaluation of grouped events on the AVX2 + FMA path; `None` if the CPU lacks them.
#[inline]
pub(crate) fn terms_grouped<const DERIV: bool>(g: &Grouped<'_>, t: &Trial) -> Option<Accumulator> {
    #[cfg(target_arch = "x86_64")]
    if available() {
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        return Some(unsafe { x86::terms_grouped::<DERIV>(g, t) });
    }
    let _ = (g, t);
    None
}

/// Whether [`terms_grouped`] takes the AVX2 + FMA path on this CPU.
pub(crate) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    return x86::available();
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// The inner-loop kernel this process runs: AVX2 + FMA when the CPU has them, else
/// the portable one (the same test as [`terms_grouped`] makes).
pub(crate) fn kernel() -> crate::shard::Kernel {
    if available() {
        crate::shard::Kernel::Avx2Fma
    } else {
        crate::shard::Kernel::Portable
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use crate::kernel::{Accumulator, Grouped, LogSum, Trial, WeightParts, combine_lanes};
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

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn load_u32(v: &[u32], at: usize) -> __m256d {
        let s = &v[at..at + 4];
        // SAFETY: `s` holds exactly 4 u32 (16 bytes); the load is unaligned.
        let i = unsafe { _mm_loadu_si128(s.as_ptr().cast()) };
        _mm256_cvtepi32_pd(i)
    }

    /// The trial's constants of [`Trial::window`], broadcast to four lanes.
    #[derive(Clone, Copy)]
    struct Window4 {
        two_q: __m256d,
        z2a: __m256d,
        z2s: __m256d,
        four_q2: __m256d,
        inv: __m256d,
    }

    impl Window4 {
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn new(t: &Trial) -> Window4 {
            Window4 {
                two_q: _mm256_set1_pd(2.0 * t.q),
                z2a: _mm256_set1_pd(t.z2 * t.alpha),
                z2s: _mm256_set1_pd(t.z2 * t.sigma2),
                four_q2: _mm256_set1_pd(4.0 * (t.q * t.q)),
                inv: _mm256_set1_pd(t.inv_2q2),
            }
        }

        /// Four-wide [`Trial::window`] (the same bounds, computed with fused
        /// multiply-adds): the first and last k of each lane's window, cut to [lo, hi],
        /// and a mask of the lanes that have one.
        #[inline]
        #[target_feature(enable = "avx2,fma")]
        fn at(&self, x: __m256d, lo: __m256d, hi: __m256d) -> (__m256d, __m256d, __m256d) {
            let zero = _mm256_setzero_pd();
            let b = _mm256_fmadd_pd(x, self.two_q, self.z2a);
            let c = _mm256_fmsub_pd(x, x, self.z2s);
            let disc = _mm256_fnmadd_pd(self.four_q2, c, _mm256_mul_pd(b, b));
            let root = _mm256_sqrt_pd(_mm256_max_pd(disc, zero));
            let k_lo = _mm256_mul_pd(_mm256_sub_pd(b, root), self.inv);
            let k_hi = _mm256_mul_pd(_mm256_add_pd(b, root), self.inv);
            let from = _mm256_max_pd(_mm256_floor_pd(k_lo), lo);
            let to = _mm256_min_pd(_mm256_ceil_pd(k_hi), hi);
            let valid = _mm256_and_pd(
                _mm256_and_pd(
                    _mm256_cmp_pd::<_CMP_GE_OQ>(disc, zero),
                    _mm256_cmp_pd::<_CMP_GE_OQ>(k_hi, zero),
                ),
                _mm256_cmp_pd::<_CMP_LE_OQ>(from, to),
            );
            (from, to, valid)
        }
    }

    /// Horizontal minimum and maximum of four lanes.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn min_max(lo: __m256d, hi: __m256d) -> (f64, f64) {
        let lo = _mm256_min_pd(lo, _mm256_permute2f128_pd::<1>(lo, lo));
        let hi = _mm256_max_pd(hi, _mm256_permute2f128_pd::<1>(hi, hi));
        let lo = _mm256_min_pd(lo, _mm256_permute_pd::<0b0101>(lo));
        let hi = _mm256_max_pd(hi, _mm256_permute_pd::<0b0101>(hi));
        (_mm256_cvtsd_f64(lo), _mm256_cvtsd_f64(hi))
    }

    /// [`crate::kernel::terms_grouped`] four events at a time.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn terms_grouped<const DERIV: bool>(g: &Grouped<'_>, t: &Trial) -> Accumulator {
        if g.weights.parts().formula {
            groups::<DERIV, true>(g, t)
        } else {
            groups::<DERIV, false>(g, t)
        }
    }

    /// Each group's window is the union of its lanes' windows ([`Window4`]), then one
    /// 4-wide step per k, with weights read from the group's block (`FORMULA` false) or
    /// formed from the group's ln-coefficient row (`FORMULA` true); the group's sums
    /// go into per-lane score sums.
    #[target_feature(enable = "avx2,fma")]
    fn groups<const DERIV: bool, const FORMULA: bool>(g: &Grouped<'_>, t: &Trial) -> Accumulator {
        let WeightParts {
            first,
            offset,
            weights,
            ln_c,
            row,
            sites,
            lp,
            lq,
            ..
        } = g.weights.parts();
        let (f, f_len) = trial_f64(t);
        let window = Window4::new(t);
        let zero = _mm256_setzero_pd();
        let one = _mm256_set1_pd(1.0);
        let tenth = _mm256_set1_pd(0.1);
        let none_lo = _mm256_set1_pd(f64::INFINITY);
        let none_hi = _mm256_set1_pd(-1.0);
        let exponent_mask = _mm256_set1_epi64x(0x7ff);
        let fraction_mask = _mm256_set1_epi64x(0x000f_ffff_ffff_ffff);
        let one_bits = _mm256_castpd_si256(one);
        let bias = _mm256_set1_epi64x(1023);
        let (mut mantissa, mut exponent) = (one, _mm256_setzero_si256());
        let (mut grad, mut hess) = (zero, zero);
        for i in 0..g.groups() {
            let at = i * 4;
            let x = load(g.x, at);
            let (lo, hi) = (load_u32(g.lo, at), load_u32(g.hi, at));
            let (from, to, valid) = window.at(x, lo, hi);
            let (from, to) = min_max(
                _mm256_blendv_pd(none_lo, from, valid),
                _mm256_blendv_pd(none_hi, to, valid),
            );
            let (mut l, mut l1, mut l2) = (zero, zero, zero);
            if from <= to {
                let (from, to) = (from as usize, to as usize);
                // Every load below reads the trial arrays at k ∈ [from, to], and the
                // weights at offset + 4(k − first) + 0..4 (table) or at row + k per lane
                // (formula): check the ends once per group.
                assert!(to < f_len);
                let (block, sites, lp, lq) = if FORMULA {
                    let row = row[i] as usize;
                    assert!(row + to < ln_c.len());
                    (row, _mm256_set1_pd(sites[i]), load(lp, at), load(lq, at))
                } else {
                    let (first, offset) = (first[i] as usize, offset[i] as usize);
                    assert!(from >= first && offset + 4 * (to - first + 1) <= weights.len());
                    (offset.wrapping_sub(4 * first), zero, zero, zero)
                };
                for k in from..=to {
                    let w = if FORMULA {
                        let kf = _mm256_set1_pd(k as f64);
                        // SAFETY: row + k < ln_c.len() (checked above).
                        let c = unsafe { _mm256_broadcast_sd(&*ln_c.as_ptr().add(block + k)) };
                        let w = _mm256_fmadd_pd(kf, lp, c);
                        _mm256_fmadd_pd(_mm256_sub_pd(sites, kf), lq, w)
                    } else {
                        // SAFETY: inside `weights` (checked above).
                        // (block + 4k = offset + 4(k − first), wrapping arithmetic.)
                        unsafe { _mm256_loadu_pd(weights.as_ptr().add(block.wrapping_add(4 * k))) }
                    };
                    // SAFETY: k < f_len (checked above); one element broadcast per array.
                    let ld = |j: usize| unsafe { _mm256_broadcast_sd(&*f[j].add(k)) };
                    let r = _mm256_sub_pd(x, ld(0));
                    let base = _mm256_add_pd(w, ld(1));
                    let a = _mm256_fnmadd_pd(_mm256_mul_pd(r, r), ld(2), base);
                    let e = exp4(a);
                    l = _mm256_add_pd(l, e);
                    if DERIV {
                        let gr = _mm256_fmadd_pd(_mm256_fmadd_pd(ld(4), r, ld(3)), r, ld(5));
                        let h = _mm256_fmadd_pd(_mm256_fmadd_pd(ld(8), r, ld(7)), r, ld(6));
                        l1 = _mm256_fmadd_pd(e, gr, l1);
                        l2 = _mm256_fmadd_pd(e, _mm256_fmadd_pd(gr, gr, h), l2);
                    }
                }
            }
            // Unused lanes (lo > hi) multiply the running product by 1.
            let real = _mm256_cmp_pd::<_CMP_LE_OQ>(lo, hi);
            let shifted = _mm256_blendv_pd(one, _mm256_add_pd(l, tenth), real);
            // LogSum::add per lane.
            let bits = _mm256_castpd_si256(_mm256_mul_pd(mantissa, shifted));
            let e = _mm256_sub_epi64(
                _mm256_and_si256(_mm256_srli_epi64::<52>(bits), exponent_mask),
                bias,
            );
            exponent = _mm256_add_epi64(exponent, e);
            mantissa = _mm256_castsi256_pd(_mm256_or_si256(
                _mm256_and_si256(bits, fraction_mask),
                one_bits,
            ));
            if DERIV {
                let inv = _mm256_div_pd(one, shifted);
                let gr = _mm256_mul_pd(l1, inv);
                grad = _mm256_add_pd(grad, gr);
                hess = _mm256_add_pd(hess, _mm256_fnmadd_pd(gr, gr, _mm256_mul_pd(l2, inv)));
            }
        }
        let (mut m, mut e, mut gs, mut hs) = ([0.0; 4], [0i64; 4], [0.0; 4], [0.0; 4]);
        // SAFETY: each array holds exactly 4 lanes; the stores are unaligned.
        unsafe {
            _mm256_storeu_pd(m.as_mut_ptr(), mantissa);
            _mm256_storeu_si256(e.as_mut_ptr().cast(), exponent);
            _mm256_storeu_pd(gs.as_mut_ptr(), grad);
            _mm256_storeu_pd(hs.as_mut_ptr(), hess);
        }
        let logs: [LogSum; 4] = std::array::from_fn(|j| LogSum::from_parts(m[j], e[j]));
        combine_lanes(&logs, gs, hs, g.events)
    }
}
