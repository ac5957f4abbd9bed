//! Where a long article title may break: between words, as a Chinese word segmenter (jieba)
//! finds them, so the layout can set a two-line title in lines of even length without cutting
//! a word (issue 10). The layout measures; kanwu only says where a break would be a good one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};

use jieba_rs::Jieba;

/// Titles shorter than this (in characters) fit on one line of any layout and paper we ship
/// (the narrowest: bulletin's 2号 on B5, about 16.8 characters; express's 小二 holds 24 on A4
/// and 20.8 on B5) and get no break opportunities: the dictionary is never loaded for them.
pub const MIN_CHARS: usize = 16;

/// Neither line of a broken title may hold fewer characters than this.
const MIN_LINE: usize = 3;

/// Marks that may not start a line (避头尾).
const NO_START: &str = "，。、；：？！）》”’】〕」』…—·%,.;:?!)]}";
/// Marks that may not end a line.
const NO_END: &str = "（《“‘【〔「『([{";

/// The char offsets (0 < k < n, in Unicode scalar values, as Typst's `str.codepoints()` counts)
/// before which `title` may break: word boundaries that leave at least three characters on each
/// side, that split no Latin word or number and break no 避头尾 rule. `None` for a title under
/// [`MIN_CHARS`] characters or one with an explicit line break. For one title; an issue's titles
/// go through one [`Segmenter`].
pub fn breaks(title: &str) -> Option<Vec<usize>> {
    Segmenter::default().breaks(title)
}

/// Finds the break opportunities of many titles with one jieba, loaded at the first title long
/// enough to need it and shared with every other `Segmenter` alive at the time (an issue per
/// thread in `build --all`). When the last one is dropped the dictionary is freed: ~33 MB, a
/// third of a build's peak memory, which Typst can use instead (the sample's `build`: 106 →
/// 73 MB without it). Long-lived processes call [`keep_loaded`] and load it once.
#[derive(Default)]
pub struct Segmenter {
    jieba: Option<Arc<Jieba>>,
}

impl Segmenter {
    /// See [`breaks`].
    pub fn breaks(&mut self, title: &str) -> Option<Vec<usize>> {
        let chars: Vec<char> = title.chars().collect();
        let n = chars.len();
        if n < MIN_CHARS || title.contains('\n') {
            return None;
        }
        let jieba = self.jieba.get_or_insert_with(shared_jieba);
        let mut out = Vec::new();
        for token in jieba.cut(title, true) {
            let k = token.start;
            if k < MIN_LINE || k + MIN_LINE > n {
                continue;
            }
            let (before, after) = (chars[k - 1], chars[k]);
            let latin = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_';
            if NO_START.contains(after)
                || NO_END.contains(before)
                || (latin(before) && latin(after))
            {
                continue;
            }
            // At a space, break after it (the layout drops it at the line's end either way).
            if after.is_whitespace() {
                continue;
            }
            out.push(k);
        }
        Some(out)
    }
}

/// jieba with its default dictionary, decompressed and indexed when nobody holds one (~0.07 s
/// in a release build, ~0.2 s in a debug one).
static SHARED: Mutex<Weak<Jieba>> = Mutex::new(Weak::new());
/// Set by [`keep_loaded`]: the first jieba loaded is never freed.
static KEEP: AtomicBool = AtomicBool::new(false);
static KEPT: Mutex<Option<Arc<Jieba>>> = Mutex::new(None);

fn shared_jieba() -> Arc<Jieba> {
    // The lock is held while loading: two threads wanting it at once load it once.
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(jieba) = shared.upgrade() {
        return jieba;
    }
    let jieba = Arc::new(Jieba::new());
    *shared = Arc::downgrade(&jieba);
    if KEEP.load(Ordering::Relaxed) {
        *KEPT.lock().unwrap_or_else(|e| e.into_inner()) = Some(jieba.clone());
    }
    jieba
}

/// For `watch` and `serve`, which load the issue again at every save: jieba, once loaded, stays
/// (a rebuild of the sample takes ~35 ms; loading it again would add 70–200 ms).
pub fn keep_loaded() {
    KEEP.store(true, Ordering::Relaxed);
    let shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(jieba) = shared.upgrade() {
        *KEPT.lock().unwrap_or_else(|e| e.into_inner()) = Some(jieba);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_titles_get_nothing() {
        assert_eq!(breaks("中国人工智能专利申请量居世界"), None);
    }

    #[test]
    fn long_titles_break_between_words_only() {
        let t = "中国人工智能专利申请量居世界第一 是美国的8.2倍";
        let b = breaks(t).unwrap();
        let n = t.chars().count();
        let at = |s: &str| s.chars().count();
        // Between words, never inside 人工智能 or 8.2, never before the space.
        assert!(b.contains(&at("中国人工智能")), "{b:?}");
        assert!(
            b.contains(&at("中国人工智能专利申请量居世界第一 ")),
            "{b:?}"
        );
        assert!(!b.contains(&at("中国人工")), "{b:?}");
        assert!(
            !b.contains(&at("中国人工智能专利申请量居世界第一")),
            "{b:?}"
        );
        assert!(
            !b.contains(&at("中国人工智能专利申请量居世界第一 是美国的8")),
            "{b:?}"
        );
        assert!(b.iter().all(|&k| (3..=n - 3).contains(&k)), "{b:?}");
    }

    #[test]
    fn no_break_before_a_closing_mark() {
        let t = "关于《许昌市促进人工智能产业发展若干措施》的解读与分析";
        let b = breaks(t).unwrap();
        let chars: Vec<char> = t.chars().collect();
        for &k in &b {
            assert!(
                !NO_START.contains(chars[k]) && !NO_END.contains(chars[k - 1]),
                "{k} in {b:?}"
            );
        }
    }
}
