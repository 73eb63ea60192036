//! The content hash that recognises a file imported before: XXH64, streamed.
//!
//! Not cryptographic: it only has to tell apart the files one person imports
//! (together with the size), and it runs at memory speed, so hashing a file
//! before importing it costs little next to parsing it.

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

#[derive(Clone)]
pub struct Xxh64 {
    acc: [u64; 4],
    buf: [u8; 32],
    buf_len: usize,
    total: u64,
    seed: u64,
}

fn round(acc: u64, lane: u64) -> u64 {
    acc.wrapping_add(lane.wrapping_mul(P2)).rotate_left(31).wrapping_mul(P1)
}

fn merge(acc: u64, v: u64) -> u64 {
    (acc ^ round(0, v)).wrapping_mul(P1).wrapping_add(P4)
}

fn lane(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().unwrap())
}

impl Default for Xxh64 {
    fn default() -> Self {
        Xxh64::new(0)
    }
}

impl Xxh64 {
    pub fn new(seed: u64) -> Self {
        Xxh64 {
            acc: [
                seed.wrapping_add(P1).wrapping_add(P2),
                seed.wrapping_add(P2),
                seed,
                seed.wrapping_sub(P1),
            ],
            buf: [0; 32],
            buf_len: 0,
            total: 0,
            seed,
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        self.total += data.len() as u64;
        if self.buf_len > 0 {
            let take = (32 - self.buf_len).min(data.len());
            self.buf[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
            if self.buf_len < 32 {
                return;
            }
            let block = self.buf;
            self.stripe(&block);
            self.buf_len = 0;
        }
        let mut chunks = data.chunks_exact(32);
        for block in &mut chunks {
            self.stripe(block);
        }
        let rest = chunks.remainder();
        self.buf[..rest.len()].copy_from_slice(rest);
        self.buf_len = rest.len();
    }

    fn stripe(&mut self, block: &[u8]) {
        for (k, acc) in self.acc.iter_mut().enumerate() {
            *acc = round(*acc, lane(block, k * 8));
        }
    }

    pub fn finish(&self) -> u64 {
        let [a1, a2, a3, a4] = self.acc;
        let mut h = if self.total >= 32 {
            let h = a1
                .rotate_left(1)
                .wrapping_add(a2.rotate_left(7))
                .wrapping_add(a3.rotate_left(12))
                .wrapping_add(a4.rotate_left(18));
            merge(merge(merge(merge(h, a1), a2), a3), a4)
        } else {
            self.seed.wrapping_add(P5)
        };
        h = h.wrapping_add(self.total);
        let tail = &self.buf[..self.buf_len];
        let mut i = 0;
        while i + 8 <= tail.len() {
            h = (h ^ round(0, lane(tail, i)))
                .rotate_left(27)
                .wrapping_mul(P1)
                .wrapping_add(P4);
            i += 8;
        }
        if i + 4 <= tail.len() {
            let v = u64::from(u32::from_le_bytes(tail[i..i + 4].try_into().unwrap()));
            h = (h ^ v.wrapping_mul(P1))
                .rotate_left(23)
                .wrapping_mul(P2)
                .wrapping_add(P3);
            i += 4;
        }
        for &b in &tail[i..] {
            h = (h ^ u64::from(b).wrapping_mul(P5)).rotate_left(11).wrapping_mul(P1);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(P2);
        h ^= h >> 29;
        h = h.wrapping_mul(P3);
        h ^ (h >> 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn once(data: &[u8]) -> u64 {
        let mut h = Xxh64::new(0);
        h.update(data);
        h.finish()
    }

    #[test]
    fn known_vectors() {
        assert_eq!(once(b""), 0xEF46_DB37_51D8_E999);
        assert_eq!(once(b"a"), 0xD24E_C4F1_A98C_6E5B);
        assert_eq!(once(b"abc"), 0x44BC_2CF5_AD77_0999);
        assert_eq!(once(b"Nobody inspects the spammish repetition"), 0xFBCE_A83C_8A37_8BF1);
    }

    #[test]
    fn streaming_in_pieces_matches_one_shot() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        let whole = once(&data);
        for step in [1, 3, 7, 31, 32, 33, 100] {
            let mut h = Xxh64::new(0);
            for piece in data.chunks(step) {
                h.update(piece);
            }
            assert_eq!(h.finish(), whole, "step {step}");
        }
    }
}
