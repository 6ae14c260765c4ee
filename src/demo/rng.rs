//! A tiny deterministic generator for the synthetic workspace.
//!
//! SplitMix64 rather than `rand::rngs::StdRng`: `StdRng`'s algorithm may change
//! between `rand` releases, and the demo data for a given seed must never change
//! (tests pin call ids, titles and transcripts to it).

/// SplitMix64 state.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

/// SplitMix64's output function; also a good 64-bit mixer on its own.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over the bytes, then mixed: stable across platforms and releases.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

impl Rng {
    #[cfg(test)]
    pub(crate) fn new(seed: u64) -> Self {
        Rng(mix(seed))
    }

    /// An independent stream for one purpose (`label`) and one item (`n`), so
    /// adding a field to one generator does not shift every other one.
    pub(crate) fn derive(seed: u64, label: &str, n: u64) -> Self {
        Rng(mix(seed
            ^ hash_str(label)
            ^ mix(n.wrapping_add(0x5851_F42D_4C95_7F2D))))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; 0 when `n == 0`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform in `lo..hi` (`lo` when the range is empty).
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo))
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// One element of a non-empty slice (all callers pass static, non-empty tables).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `pick` for string tables, without a double reference.
    pub(crate) fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len() as u64) as usize]
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// A numeric id of exactly `len` digits (no leading zero), like Gong's ids.
    pub(crate) fn digits(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        s.push(char::from(b'1' + self.below(9) as u8));
        for _ in 1..len {
            s.push(char::from(b'0' + self.below(10) as u8));
        }
        s
    }

    /// Salesforce-style 18-character id with a given 3-character key prefix.
    pub(crate) fn sfdc_id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut s = String::from(prefix);
        while s.len() < 18 {
            s.push(char::from(*self.pick(ALPHABET)));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_labels_are_independent() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(
            Rng::derive(7, "calls", 1).next_u64(),
            Rng::derive(7, "users", 1).next_u64()
        );
        let id = Rng::new(1).digits(19);
        assert_eq!(id.len(), 19);
        assert!(id.bytes().all(|c| c.is_ascii_digit()) && !id.starts_with('0'));
    }
}
