;; The matcher's scan kernel (WebAssembly SIMD), assembled by core/face/matcher-kernel-build.ts
;; (wabt's wat2wasm, an npm devDependency) into matcher-kernel.wasm and embedded as base64 in
;; matcher-kernel-bytes.ts. Regenerate both after editing: npx tsx core/face/matcher-kernel-build.ts
;;
;; scan() is pass 1 of FaceMatcher's fast identify (see matcher.ts and distance.ts):
;;  - dot = exact int32 dot product of the query's 128 int16 codes with a slot's 128 int8 codes
;;    (|code| <= 127, |query code| <= 32767: a lane sums 32 products < 2^31, so no overflow);
;;  - lower = lowerBase + norm[v] - scale[v] * (dotFactor * dot + errorFactor), a proven lower
;;    bound on the slot's exact squared distance; upper = lower + 2 * (scale[v] * errorFactor + slack);
;;  - the best two guests by upper bound are tracked (ties keep the first, like offerTopTwo), and
;;    every slot whose lower bound is <= the second guest's upper bound at that point is written out
;;    as a candidate (slot, lower). The final cutoff (that second upper bound) is left in the
;;    exported global "cutoff"; candidates with lower > cutoff are then dropped by the caller.
;; maxAbs() and quantise() store a new descriptor: max |x_i| (NaN or inf when a component is not
;; finite), then int8 codes = nearest(x_i * inverse) in f32 (|x_i/s - c_i| <= 1/2 + 2e-5, which
;; distance.ts's bound allows for) and the exact squared norm in f64.
(module
  (memory (export "memory") 1)
  (global $cutoff (export "cutoff") (mut f64) (f64.const 0))
  ;; All addresses are byte offsets in the exported memory. Returns the number of candidates.
  (func (export "scan")
    (param $query i32) (param $codes i32) (param $scales i32) (param $norms i32) (param $owners i32)
    (param $count i32) (param $candSlots i32) (param $candLower i32)
    (param $lowerBase f64) (param $dotFactor f64) (param $errorFactor f64) (param $slack f64)
    (result i32)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128) (local $q4 v128) (local $q5 v128) (local $q6 v128) (local $q7 v128) (local $q8 v128) (local $q9 v128) (local $q10 v128) (local $q11 v128) (local $q12 v128) (local $q13 v128) (local $q14 v128) (local $q15 v128)
    (local $acc v128) (local $v i32) (local $n i32) (local $g i32)
    (local $s f64) (local $lower f64) (local $upper f64)
    (local $best i32) (local $bestSq f64) (local $second i32) (local $secondSq f64)
    (local.set $q0 (v128.load offset=0 (local.get $query)))
    (local.set $q1 (v128.load offset=16 (local.get $query)))
    (local.set $q2 (v128.load offset=32 (local.get $query)))
    (local.set $q3 (v128.load offset=48 (local.get $query)))
    (local.set $q4 (v128.load offset=64 (local.get $query)))
    (local.set $q5 (v128.load offset=80 (local.get $query)))
    (local.set $q6 (v128.load offset=96 (local.get $query)))
    (local.set $q7 (v128.load offset=112 (local.get $query)))
    (local.set $q8 (v128.load offset=128 (local.get $query)))
    (local.set $q9 (v128.load offset=144 (local.get $query)))
    (local.set $q10 (v128.load offset=160 (local.get $query)))
    (local.set $q11 (v128.load offset=176 (local.get $query)))
    (local.set $q12 (v128.load offset=192 (local.get $query)))
    (local.set $q13 (v128.load offset=208 (local.get $query)))
    (local.set $q14 (v128.load offset=224 (local.get $query)))
    (local.set $q15 (v128.load offset=240 (local.get $query)))
    (local.set $best (i32.const -1))
    (local.set $second (i32.const -1))
    (local.set $bestSq (f64.const inf))
    (local.set $secondSq (f64.const inf))
    (block $done
      (br_if $done (i32.ge_u (local.get $v) (local.get $count)))
      (loop $next
        (local.set $acc (i32x4.dot_i16x8_s (v128.load8x8_s offset=0 (local.get $codes)) (local.get $q0)))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=8 (local.get $codes)) (local.get $q1))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=16 (local.get $codes)) (local.get $q2))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=24 (local.get $codes)) (local.get $q3))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=32 (local.get $codes)) (local.get $q4))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=40 (local.get $codes)) (local.get $q5))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=48 (local.get $codes)) (local.get $q6))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=56 (local.get $codes)) (local.get $q7))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=64 (local.get $codes)) (local.get $q8))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=72 (local.get $codes)) (local.get $q9))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=80 (local.get $codes)) (local.get $q10))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=88 (local.get $codes)) (local.get $q11))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=96 (local.get $codes)) (local.get $q12))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=104 (local.get $codes)) (local.get $q13))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=112 (local.get $codes)) (local.get $q14))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (v128.load8x8_s offset=120 (local.get $codes)) (local.get $q15))))
        ;; horizontal sum of the four lanes
        (local.set $acc (i32x4.add (local.get $acc)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
        (local.set $acc (i32x4.add (local.get $acc)
          (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $acc) (local.get $acc))))
        (local.set $s (f64.load (i32.add (local.get $scales) (i32.shl (local.get $v) (i32.const 3)))))
        (local.set $lower
          (f64.sub
            (f64.add (local.get $lowerBase)
              (f64.load (i32.add (local.get $norms) (i32.shl (local.get $v) (i32.const 3)))))
            (f64.mul (local.get $s)
              (f64.add
                (f64.mul (local.get $dotFactor) (f64.convert_i32_s (i32x4.extract_lane 0 (local.get $acc))))
                (local.get $errorFactor)))))
        (if (f64.le (local.get $lower) (local.get $secondSq))
          (then
            (i32.store (i32.add (local.get $candSlots) (i32.shl (local.get $n) (i32.const 2))) (local.get $v))
            (f64.store (i32.add (local.get $candLower) (i32.shl (local.get $n) (i32.const 3))) (local.get $lower))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (local.set $upper
              (f64.add (local.get $lower)
                (f64.mul (f64.const 2)
                  (f64.add (f64.mul (local.get $s) (local.get $errorFactor)) (local.get $slack)))))
            (local.set $g (i32.load (i32.add (local.get $owners) (i32.shl (local.get $v) (i32.const 2)))))
            ;; offerTopTwo(g, upper)
            (if (i32.eq (local.get $g) (local.get $best))
              (then
                (if (f64.lt (local.get $upper) (local.get $bestSq))
                  (then (local.set $bestSq (local.get $upper)))))
              (else
                (if (f64.lt (local.get $upper) (local.get $bestSq))
                  (then
                    (local.set $second (local.get $best))
                    (local.set $secondSq (local.get $bestSq))
                    (local.set $best (local.get $g))
                    (local.set $bestSq (local.get $upper)))
                  (else
                    (if (f64.lt (local.get $upper) (local.get $secondSq))
                      (then
                        (local.set $second (local.get $g))
                        (local.set $secondSq (local.get $upper))))))))))
        (local.set $codes (i32.add (local.get $codes) (i32.const 128)))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $v) (local.get $count)))
      )
    )
    (global.set $cutoff (local.get $secondSq))
    (local.get $n)
  )
  ;; maxAbs(src): max |x_i| over 128 f32 at src; NaN propagates (f32x4.max), inf stays inf.
  (func (export "maxAbs") (param $src i32) (result f32)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.const 512)))
    (loop $next
      (local.set $m0 (f32x4.max (local.get $m0) (f32x4.abs (v128.load offset=0 (local.get $src)))))
      (local.set $m1 (f32x4.max (local.get $m1) (f32x4.abs (v128.load offset=16 (local.get $src)))))
      (local.set $m2 (f32x4.max (local.get $m2) (f32x4.abs (v128.load offset=32 (local.get $src)))))
      (local.set $m3 (f32x4.max (local.get $m3) (f32x4.abs (v128.load offset=48 (local.get $src)))))
      (local.set $src (i32.add (local.get $src) (i32.const 64)))
      (br_if $next (i32.lt_u (local.get $src) (local.get $end))))
    (local.set $m0 (f32x4.max (f32x4.max (local.get $m0) (local.get $m1)) (f32x4.max (local.get $m2) (local.get $m3))))
    (local.set $m0 (f32x4.max (local.get $m0)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m0) (local.get $m0))))
    (local.set $m0 (f32x4.max (local.get $m0)
      (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $m0) (local.get $m0))))
    (f32x4.extract_lane 0 (local.get $m0))
  )
  ;; quantise(src, inverse, dst): 128 int8 codes at dst; returns the squared norm (f64).
  (func (export "quantise") (param $src i32) (param $inverse f32) (param $dst i32) (result f64)
    (local $inv v128) (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $n0 v128) (local $n1 v128) (local $end i32)
    (local.set $inv (f32x4.splat (local.get $inverse)))
    (local.set $end (i32.add (local.get $src) (i32.const 512)))
    (loop $next
      (local.set $v0 (v128.load offset=0 (local.get $src)))
      (local.set $v1 (v128.load offset=16 (local.get $src)))
      (local.set $v2 (v128.load offset=32 (local.get $src)))
      (local.set $v3 (v128.load offset=48 (local.get $src)))
      (v128.store (local.get $dst)
        (i8x16.narrow_i16x8_s
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v0) (local.get $inv))))
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v1) (local.get $inv)))))
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v2) (local.get $inv))))
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v3) (local.get $inv)))))))
      (local.set $n0 (f64x2.add (local.get $n0) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v0)) (f64x2.promote_low_f32x4 (local.get $v0)))))
      (local.set $v0 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v0) (local.get $v0)))
      (local.set $n1 (f64x2.add (local.get $n1) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v0)) (f64x2.promote_low_f32x4 (local.get $v0)))))
      (local.set $n0 (f64x2.add (local.get $n0) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v1)) (f64x2.promote_low_f32x4 (local.get $v1)))))
      (local.set $v1 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v1) (local.get $v1)))
      (local.set $n1 (f64x2.add (local.get $n1) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v1)) (f64x2.promote_low_f32x4 (local.get $v1)))))
      (local.set $n0 (f64x2.add (local.get $n0) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v2)) (f64x2.promote_low_f32x4 (local.get $v2)))))
      (local.set $v2 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v2) (local.get $v2)))
      (local.set $n1 (f64x2.add (local.get $n1) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v2)) (f64x2.promote_low_f32x4 (local.get $v2)))))
      (local.set $n0 (f64x2.add (local.get $n0) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v3)) (f64x2.promote_low_f32x4 (local.get $v3)))))
      (local.set $v3 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v3) (local.get $v3)))
      (local.set $n1 (f64x2.add (local.get $n1) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v3)) (f64x2.promote_low_f32x4 (local.get $v3)))))
      (local.set $src (i32.add (local.get $src) (i32.const 64)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br_if $next (i32.lt_u (local.get $src) (local.get $end))))
    (local.set $n0 (f64x2.add (local.get $n0) (local.get $n1)))
    (f64.add (f64x2.extract_lane 0 (local.get $n0)) (f64x2.extract_lane 1 (local.get $n0)))
  )
)
