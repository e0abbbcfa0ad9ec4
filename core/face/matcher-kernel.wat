;; The matcher's scan kernel: for each gallery vector (128 int8 codes), the exact integer dot
;; product with the query (128 int16 codes), written as one i32 per vector.
;; Assembled with wabt's wat2wasm (npm devDependency) into matcher-kernel.wasm; the bytes are
;; embedded in matcher-kernel.ts. Regenerate both with: npx tsx core/face/matcher-kernel-build.ts
;;
;; Range: |code| <= 127 and |query code| <= 32767, so one i32x4 lane sums 32 products
;; <= 32 * 127 * 32767 < 2^31, and the 4-lane total is < 2^31 too: no overflow.
(module
  (memory (export "memory") 1)
  ;; dots(query, codes, count, out): query = 256 bytes (i16x8 x 16), codes = count * 128 bytes,
  ;; out = count * 4 bytes. All addresses are byte offsets in the exported memory.
  (func (export "dots") (param $query i32) (param $codes i32) (param $count i32) (param $out i32)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128) (local $q4 v128) (local $q5 v128) (local $q6 v128) (local $q7 v128) (local $q8 v128) (local $q9 v128) (local $q10 v128) (local $q11 v128) (local $q12 v128) (local $q13 v128) (local $q14 v128) (local $q15 v128)
    (local $acc v128) (local $end i32)
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
    (local.set $end (i32.add (local.get $codes) (i32.shl (local.get $count) (i32.const 7))))
    (block $done
      (br_if $done (i32.ge_u (local.get $codes) (local.get $end)))
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
        (i32.store (local.get $out) (i32x4.extract_lane 0 (local.get $acc)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $codes (i32.add (local.get $codes) (i32.const 128)))
        (br_if $next (i32.lt_u (local.get $codes) (local.get $end)))
      )
    )
  )
)
