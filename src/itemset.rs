//! Sets of 情報項目 as bitsets: the unit the propagation and every rule work in.

use std::hash::{Hash, Hasher};

/// Bits per storage word.
const BITS: usize = 64;

/// Words kept inline: 128 items. Models name tens of items, so nearly every set lives without a heap
/// allocation, and cloning or intersecting one (done per subject by many rules) costs no malloc.
const INLINE_WORDS: usize = 2;

/// The words of a set: inline while every item fits, on the heap beyond that.
#[derive(Clone, Debug)]
enum Words {
    Inline([u64; INLINE_WORDS]),
    Heap(Vec<u64>),
}

impl Default for Words {
    fn default() -> Self {
        Words::Inline([0; INLINE_WORDS])
    }
}

/// A set of item indices (into `Model::items`).
#[derive(Clone, Debug, Default)]
pub struct ItemSet {
    words: Words,
}

impl ItemSet {
    pub fn with_capacity(items: usize) -> Self {
        let mut set = ItemSet::default();
        set.grow(items.div_ceil(BITS));
        set
    }

    fn words(&self) -> &[u64] {
        match &self.words {
            Words::Inline(words) => words,
            Words::Heap(words) => words,
        }
    }

    fn words_mut(&mut self) -> &mut [u64] {
        match &mut self.words {
            Words::Inline(words) => words,
            Words::Heap(words) => words,
        }
    }

    /// Makes room for at least `count` words (never shrinks).
    fn grow(&mut self, count: usize) {
        match &mut self.words {
            Words::Inline(words) if count > INLINE_WORDS => {
                let mut heap = words.to_vec();
                heap.resize(count, 0);
                self.words = Words::Heap(heap);
            }
            Words::Inline(_) => {}
            Words::Heap(words) => {
                if words.len() < count {
                    words.resize(count, 0);
                }
            }
        }
    }

    /// The words without trailing empty ones: two sets are equal when these are.
    fn trimmed(&self) -> &[u64] {
        let words = self.words();
        let used = words
            .iter()
            .rposition(|&w| w != 0)
            .map_or(0, |last| last + 1);
        &words[..used]
    }

    pub fn insert(&mut self, item: usize) {
        self.grow(item / BITS + 1);
        self.words_mut()[item / BITS] |= 1 << (item % BITS);
    }

    pub fn contains(&self, item: usize) -> bool {
        self.words()
            .get(item / BITS)
            .is_some_and(|w| w & (1 << (item % BITS)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words().iter().all(|&w| w == 0)
    }

    pub fn len(&self) -> usize {
        self.words().iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Adds every item of `other`; returns true if anything was new.
    pub fn union_with(&mut self, other: &ItemSet) -> bool {
        let theirs = other.trimmed();
        self.grow(theirs.len());
        let mut changed = false;
        for (mine, &their) in self.words_mut().iter_mut().zip(theirs) {
            changed |= their & !*mine != 0;
            *mine |= their;
        }
        changed
    }

    pub fn intersect(&self, other: &ItemSet) -> ItemSet {
        let mut out = self.clone();
        let theirs = other.words();
        for (k, mine) in out.words_mut().iter_mut().enumerate() {
            *mine &= theirs.get(k).copied().unwrap_or(0);
        }
        out
    }

    pub fn difference(&self, other: &ItemSet) -> ItemSet {
        let mut out = self.clone();
        for (mine, &their) in out.words_mut().iter_mut().zip(other.words()) {
            *mine &= !their;
        }
        out
    }

    pub fn is_subset(&self, other: &ItemSet) -> bool {
        let theirs = other.words();
        self.words()
            .iter()
            .enumerate()
            .all(|(k, &mine)| mine & !theirs.get(k).copied().unwrap_or(0) == 0)
    }

    pub fn intersects(&self, other: &ItemSet) -> bool {
        self.words()
            .iter()
            .zip(other.words())
            .any(|(&mine, &their)| mine & their != 0)
    }

    /// Item indices in ascending (model) order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words().iter().enumerate().flat_map(|(k, &word)| Ones {
            word,
            base: k * BITS,
        })
    }
}

/// The set bits of one word, lowest first, as item indices.
struct Ones {
    word: u64,
    base: usize,
}

impl Iterator for Ones {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.word == 0 {
            return None;
        }
        let bit = self.word.trailing_zeros() as usize;
        // Clears the lowest set bit.
        self.word &= self.word - 1;
        Some(self.base + bit)
    }
}

/// Equal when they hold the same items, however much room each has.
impl PartialEq for ItemSet {
    fn eq(&self, other: &Self) -> bool {
        self.trimmed() == other.trimmed()
    }
}

impl Eq for ItemSet {}

impl Hash for ItemSet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.trimmed().hash(state);
    }
}

impl FromIterator<usize> for ItemSet {
    fn from_iter<T: IntoIterator<Item = usize>>(iter: T) -> Self {
        let mut set = ItemSet::default();
        for i in iter {
            set.insert(i);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_algebra() {
        let a: ItemSet = [0, 2, 5].into_iter().collect();
        let b: ItemSet = [2, 3].into_iter().collect();
        assert_eq!(a.intersect(&b).iter().collect::<Vec<_>>(), vec![2]);
        assert_eq!(a.difference(&b).iter().collect::<Vec<_>>(), vec![0, 5]);
        let mut c = b.clone();
        assert!(c.union_with(&a));
        assert!(!c.union_with(&a));
        assert!(a.is_subset(&c));
        assert_eq!(c.len(), 4);
    }

    #[test]
    fn sets_beyond_the_inline_words() {
        let big: ItemSet = [1, 70, 130, 300].into_iter().collect();
        let small: ItemSet = [1, 70].into_iter().collect();
        assert_eq!(big.iter().collect::<Vec<_>>(), vec![1, 70, 130, 300]);
        assert!(small.is_subset(&big));
        assert!(!big.is_subset(&small));
        assert!(big.intersects(&small));
        assert_eq!(big.intersect(&small), small);
        assert_eq!(
            big.difference(&small).iter().collect::<Vec<_>>(),
            vec![130, 300]
        );
        let mut grown = small.clone();
        assert!(grown.union_with(&big));
        assert_eq!(grown, big);
        assert_eq!(ItemSet::with_capacity(500), ItemSet::default());
        assert!(ItemSet::with_capacity(500).is_empty());
        assert!(!big.contains(299) && big.contains(300) && !big.contains(10_000));
    }
}
