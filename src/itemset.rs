//! Sets of 情報項目 as bitsets: the unit the propagation and every rule work in.

use fixedbitset::FixedBitSet;

/// A set of item indices (into `Model::items`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ItemSet(FixedBitSet);

impl ItemSet {
    pub fn with_capacity(items: usize) -> Self {
        ItemSet(FixedBitSet::with_capacity(items))
    }

    pub fn insert(&mut self, item: usize) {
        if item >= self.0.len() {
            self.0.grow(item + 1);
        }
        self.0.insert(item);
    }

    pub fn contains(&self, item: usize) -> bool {
        self.0.contains(item)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_clear()
    }

    pub fn len(&self) -> usize {
        self.0.count_ones(..)
    }

    /// Adds every item of `other`; returns true if anything was new.
    pub fn union_with(&mut self, other: &ItemSet) -> bool {
        if other.0.len() > self.0.len() {
            self.0.grow(other.0.len());
        }
        let before = self.len();
        self.0.union_with(&other.0);
        self.len() != before
    }

    pub fn intersect(&self, other: &ItemSet) -> ItemSet {
        let mut out = self.clone();
        out.0.intersect_with(&other.0);
        out
    }

    pub fn difference(&self, other: &ItemSet) -> ItemSet {
        let mut out = self.clone();
        out.0.difference_with(&other.0);
        out
    }

    pub fn is_subset(&self, other: &ItemSet) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn intersects(&self, other: &ItemSet) -> bool {
        !self.0.is_disjoint(&other.0)
    }

    /// Item indices in ascending (model) order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.ones()
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
}
