//! Writes synthetic municipalities for the inventory walk-through (docs/inventory.md): one folder per body, each
//! with several papers from `nagare::synth::model_text`, a different `owner` per body, and about one system in ten
//! shared between a body's papers (the rest renamed per paper), so the join and the cross-paper questions have work.
//!
//! cargo run --example inventory_synth -- <出力フォルダ> [団体数=100] [資料数=3] [ノード数=200]

use std::fmt::Write;
use std::path::PathBuf;

/// Renames `システム012345` to `資料{paper}のシステム012345` unless the number is a multiple of ten (then shared).
fn rename_systems(text: &str, paper: usize) -> String {
    let marker = "システム";
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let shared = digits.parse::<u64>().map(|n| n % 10 == 0).unwrap_or(true);
        if !shared {
            let _ = write!(out, "資料{paper}の");
        }
        out.push_str(marker);
        rest = after;
    }
    out.push_str(rest);
    out
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        return Err("使い方: cargo run --example inventory_synth -- <出力フォルダ> [団体数] [資料数] [ノード数]".into());
    };
    let number = |i: usize, default: usize| -> Result<usize, String> {
        args.get(i)
            .map(|s| s.parse().map_err(|_| format!("数ではありません: {s}")))
            .unwrap_or(Ok(default))
    };
    let (bodies, papers, nodes) = (number(1, 100)?, number(2, 3)?, number(3, 200)?);
    for b in 0..bodies {
        let body_dir = dir.join(format!("合成市{b:03}"));
        std::fs::create_dir_all(&body_dir).map_err(|e| format!("{}: {e}", body_dir.display()))?;
        for p in 0..papers {
            let text = nagare::synth::model_text(nodes, (b * 100 + p) as u64 + 1).replacen(
                "document: \"bench\",",
                &format!(
                    "document: \"合成市{b:03} 第{}号\", owner: \"合成市{b:03} 課{p}\",",
                    p + 1
                ),
                1,
            );
            let path = body_dir.join(format!("paper{p}.ron"));
            std::fs::write(&path, rename_systems(&text, p))
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    println!(
        "{} に {bodies} 団体 × {papers} 資料を書き出しました",
        dir.display()
    );
    Ok(())
}
