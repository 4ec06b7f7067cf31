//! The entries of an object value, in key order.
//!
//! why: objects were `BTreeMap`s, whose every node reserves room for eleven entries; most
//! objects in infrastructure code have one to five keys (`metadata`, `labels`, a `tags` map),
//! so a Kubernetes manifest's value tree took about twenty times the file's size. Small
//! objects are now a sorted vector of exactly their entries; an object that grows past
//! [`SMALL`] keys becomes a `BTreeMap`, so inserting into a huge object (a hostile YAML mapping
//! of a million keys) stays logarithmic. Iteration is in key order either way, as before.

use super::Node;
use std::borrow::Borrow;
use std::collections::{btree_map, BTreeMap};
use std::sync::Arc;

/// Objects with at most this many keys are kept as a sorted vector.
const SMALL: usize = 16;

type Key = Arc<str>;

#[derive(Clone, Debug)]
enum Repr {
    Small(Vec<(Key, Node)>),
    Large(BTreeMap<Key, Node>),
}

/// An object's entries: unique keys, iterated in order.
#[derive(Clone)]
pub struct Map(Repr);

/// Printed as a map, whichever form it has (as `BTreeMap` printed it).
impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Default for Map {
    fn default() -> Map {
        Map::new()
    }
}

impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Map {
    pub fn new() -> Map {
        Map(Repr::Small(Vec::new()))
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Small(v) => v.len(),
            Repr::Large(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn find<Q>(v: &[(Key, Node)], key: &Q) -> Result<usize, usize>
    where
        Key: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        v.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&Node>
    where
        Key: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &self.0 {
            Repr::Small(v) => Map::find(v, key)
                .ok()
                .and_then(|i| v.get(i))
                .map(|(_, n)| n),
            Repr::Large(m) => m.get(key),
        }
    }

    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&Key, &Node)>
    where
        Key: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &self.0 {
            Repr::Small(v) => Map::find(v, key)
                .ok()
                .and_then(|i| v.get(i))
                .map(|(k, n)| (k, n)),
            Repr::Large(m) => m.get_key_value(key),
        }
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Node>
    where
        Key: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.0 {
            Repr::Small(v) => match Map::find(v, key) {
                Ok(i) => v.get_mut(i).map(|(_, n)| n),
                Err(_) => None,
            },
            Repr::Large(m) => m.get_mut(key),
        }
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        Key: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Sets `key`, returning the value it had (the last write wins, as in Terraform).
    pub fn insert(&mut self, key: impl Into<Key>, value: Node) -> Option<Node> {
        let key = key.into();
        match &mut self.0 {
            Repr::Small(v) => {
                // Keys often arrive in order (parsed documents, sorted sources): append.
                let pos = match v.last() {
                    Some((last, _)) if **last < *key => Err(v.len()),
                    None => Err(0),
                    _ => Map::find(v, &*key),
                };
                match pos {
                    Ok(i) => v
                        .get_mut(i)
                        .map(|slot| std::mem::replace(&mut slot.1, value)),
                    Err(i) => {
                        if v.len() < SMALL {
                            v.insert(i, (key, value));
                        } else {
                            let mut m: BTreeMap<Key, Node> =
                                std::mem::take(v).into_iter().collect();
                            m.insert(key, value);
                            self.0 = Repr::Large(m);
                        }
                        None
                    }
                }
            }
            Repr::Large(m) => m.insert(key, value),
        }
    }

    /// The value at `key`, set to `make()` first when absent (`BTreeMap`'s
    /// `entry(key).or_insert_with(make)`).
    pub fn get_or_insert_with(
        &mut self,
        key: impl Into<Key>,
        make: impl FnOnce() -> Node,
    ) -> &mut Node {
        let key = key.into();
        let pos = match &self.0 {
            Repr::Small(v) => Some(Map::find(v, &*key)),
            Repr::Large(_) => None,
        };
        if matches!(pos, Some(Err(_))) && self.len() >= SMALL {
            if let Repr::Small(v) = &mut self.0 {
                let m: BTreeMap<Key, Node> = std::mem::take(v).into_iter().collect();
                self.0 = Repr::Large(m);
            }
        }
        match &mut self.0 {
            Repr::Large(m) => m.entry(key).or_insert_with(make),
            Repr::Small(v) => {
                let i = match pos {
                    Some(Ok(i)) => i,
                    Some(Err(i)) => {
                        v.insert(i, (key, make()));
                        i
                    }
                    // A small map always has a position (see above).
                    None => {
                        v.push((key, make()));
                        v.len() - 1
                    }
                };
                // why: `i` is the index `find` returned or the slot just filled.
                #[allow(clippy::indexing_slicing)]
                &mut v[i].1
            }
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<Node>
    where
        Key: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.0 {
            Repr::Small(v) => match Map::find(v, key) {
                Ok(i) => Some(v.remove(i).1),
                Err(_) => None,
            },
            Repr::Large(m) => m.remove(key),
        }
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Key, &mut Node) -> bool) {
        match &mut self.0 {
            Repr::Small(v) => v.retain_mut(|(k, n)| keep(k, n)),
            Repr::Large(m) => m.retain(|k, n| keep(k, n)),
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        match &self.0 {
            Repr::Small(v) => Iter(IterRepr::Small(v.iter())),
            Repr::Large(m) => Iter(IterRepr::Large(m.iter())),
        }
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        match &mut self.0 {
            Repr::Small(v) => IterMut(IterMutRepr::Small(v.iter_mut())),
            Repr::Large(m) => IterMut(IterMutRepr::Large(m.iter_mut())),
        }
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator + '_ {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Node> + ExactSizeIterator + '_ {
        self.iter().map(|(_, v)| v)
    }

    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Node> + ExactSizeIterator + '_ {
        self.iter_mut().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = Key> + ExactSizeIterator {
        self.into_iter().map(|(k, _)| k)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = Node> + ExactSizeIterator {
        self.into_iter().map(|(_, v)| v)
    }

    pub fn first_key_value(&self) -> Option<(&Key, &Node)> {
        self.iter().next()
    }

    pub fn last_key_value(&self) -> Option<(&Key, &Node)> {
        self.iter().next_back()
    }
}

impl<K: Into<Key>> FromIterator<(K, Node)> for Map {
    /// Later entries replace earlier ones with the same key, as repeated `insert`s would.
    fn from_iter<I: IntoIterator<Item = (K, Node)>>(iter: I) -> Map {
        let mut v: Vec<(Key, Node)> = iter.into_iter().map(|(k, n)| (k.into(), n)).collect();
        if v.len() > SMALL {
            // BTreeMap's collect keeps the last of equal keys.
            return Map(Repr::Large(v.into_iter().collect()));
        }
        // A stable sort keeps equal keys in input order; keep the last of each run.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Key, Node)> = Vec::with_capacity(v.len());
        for (k, n) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = n,
                _ => out.push((k, n)),
            }
        }
        Map(Repr::Small(out))
    }
}

impl<K: Into<Key>> Extend<(K, Node)> for Map {
    fn extend<I: IntoIterator<Item = (K, Node)>>(&mut self, iter: I) {
        for (k, n) in iter {
            self.insert(k, n);
        }
    }
}

impl From<BTreeMap<Key, Node>> for Map {
    fn from(m: BTreeMap<Key, Node>) -> Map {
        if m.len() > SMALL {
            Map(Repr::Large(m))
        } else {
            Map(Repr::Small(m.into_iter().collect()))
        }
    }
}

enum IterRepr<'a> {
    Small(std::slice::Iter<'a, (Key, Node)>),
    Large(btree_map::Iter<'a, Key, Node>),
}

/// Entries in key order.
pub struct Iter<'a>(IterRepr<'a>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Key, &'a Node);
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(i) => i.next().map(|(k, n)| (k, n)),
            IterRepr::Large(i) => i.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Small(i) => i.size_hint(),
            IterRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(i) => i.next_back().map(|(k, n)| (k, n)),
            IterRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

enum IterMutRepr<'a> {
    Small(std::slice::IterMut<'a, (Key, Node)>),
    Large(btree_map::IterMut<'a, Key, Node>),
}

pub struct IterMut<'a>(IterMutRepr<'a>);

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a Key, &'a mut Node);
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(i) => i.next().map(|(k, n)| (&*k, n)),
            IterMutRepr::Large(i) => i.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterMutRepr::Small(i) => i.size_hint(),
            IterMutRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(i) => i.next_back().map(|(k, n)| (&*k, n)),
            IterMutRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for IterMut<'_> {}

enum IntoIterRepr {
    Small(std::vec::IntoIter<(Key, Node)>),
    Large(btree_map::IntoIter<Key, Node>),
}

pub struct IntoIter(IntoIterRepr);

impl Iterator for IntoIter {
    type Item = (Key, Node);
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(i) => i.next(),
            IntoIterRepr::Large(i) => i.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IntoIterRepr::Small(i) => i.size_hint(),
            IntoIterRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for IntoIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(i) => i.next_back(),
            IntoIterRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for Map {
    type Item = (Key, Node);
    type IntoIter = IntoIter;
    fn into_iter(self) -> IntoIter {
        match self.0 {
            Repr::Small(v) => IntoIter(IntoIterRepr::Small(v.into_iter())),
            Repr::Large(m) => IntoIter(IntoIterRepr::Large(m.into_iter())),
        }
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Key, &'a Node);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Key, &'a mut Node);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
    use super::*;
    use crate::{Origin, Value};

    fn n(i: usize) -> Node {
        Node::new(Value::Number(i as f64), Origin::default())
    }

    /// Same answers as a BTreeMap through inserts, replacements, removals and the switch from
    /// the small to the large form.
    #[test]
    fn behaves_like_a_btreemap() {
        let mut m = Map::new();
        let mut b: BTreeMap<Key, Node> = BTreeMap::new();
        // A fixed pseudo-random key order with repeats.
        let mut x: u64 = 7;
        for i in 0..200 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k: Key = Arc::from(format!("k{}", (x >> 33) % 40).as_str());
            if i % 7 == 3 {
                assert_eq!(m.remove(&*k), b.remove(&*k));
            } else {
                assert_eq!(m.insert(k.clone(), n(i)), b.insert(k, n(i)));
            }
            assert_eq!(m.len(), b.len());
            assert!(m.iter().eq(b.iter()));
        }
        assert!(m.iter().rev().eq(b.iter().rev()));
        let last_wins: Map = vec![("b", n(1)), ("a", n(2)), ("b", n(3))]
            .into_iter()
            .collect();
        assert_eq!(last_wins.get("b"), Some(&n(3)));
        assert_eq!(
            last_wins.keys().map(|k| &**k).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let big: Map = (0..100)
            .map(|i| (format!("{i:03}"), n(i)))
            .chain([("050".to_string(), n(7))])
            .collect();
        assert_eq!(big.len(), 100);
        assert_eq!(big.get("050"), Some(&n(7)));
    }
}
