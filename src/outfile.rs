//! Output files: written whole or not at all, never over the model they come from, with Japanese messages.
//!
//! Every writer (render, report, diff, build, init) goes through here, so a clerk sees 「フォルダが見つかりません」
//! with the path, never the system's `No such file or directory (os error 2)`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why an I/O operation failed, in Japanese (the system's English text is never shown).
pub fn io_ja(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let reason = match e.kind() {
        K::NotFound => "見つかりません（フォルダがないか、名前が違います）",
        K::PermissionDenied => {
            "権限がありません（読み取り専用の場所か、ほかのアプリ（Excel など）がファイルを開いています）"
        }
        K::AlreadyExists => "同じ名前のファイルがすでにあります",
        K::IsADirectory => "同じ名前のフォルダがあります",
        K::NotADirectory => "途中の名前がフォルダではなくファイルです",
        K::DirectoryNotEmpty => "フォルダが空ではありません",
        K::ReadOnlyFilesystem => "読み取り専用の場所です",
        K::StorageFull => "ディスクの空きが足りません",
        K::FileTooLarge => "ファイルが大きすぎます",
        K::ResourceBusy | K::ExecutableFileBusy => "使用中です（ほかのアプリが開いています）",
        K::InvalidInput => "名前が正しくありません（使えない文字が含まれていないか確認してください）",
        K::InvalidData => "中身が文字として読めません",
        K::Interrupted => "中断されました",
        K::WriteZero => "最後まで書き込めませんでした",
        K::UnexpectedEof => "途中で終わっています",
        K::TimedOut => "時間切れになりました",
        K::OutOfMemory => "メモリが足りません",
        _ => {
            return match e.raw_os_error() {
                Some(n) => format!("入出力のエラーです（OS のエラー番号 {n}）"),
                None => "入出力のエラーです".to_string(),
            }
        }
    };
    reason.to_string()
}

/// The temporary file `write_atomically` writes beside `output` before renaming it.
pub fn temp_path(output: &Path) -> PathBuf {
    let dir = parent_dir(output);
    let name = output
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("nagare");
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

fn parent_dir(output: &Path) -> PathBuf {
    match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes `bytes` to a temporary file beside `output` and renames it, so a failure never leaves half a file; the
/// temporary file is removed when anything fails. Temporary files of the same output left by a process that was
/// killed mid-write (older than a minute, another process id) are removed after a successful write.
pub fn write_atomically(output: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = temp_path(output);
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, output));
    match result {
        Ok(()) => {
            remove_stale_temps(output);
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(write_error(output, &e))
        }
    }
}

/// 「out/x.svg に書き出せません: フォルダが見つかりません」, with a hint for the usual causes.
pub fn write_error(output: &Path, e: &io::Error) -> String {
    let mut message = format!("{} に書き出せません: {}", output.display(), io_ja(e));
    if e.kind() == io::ErrorKind::NotFound {
        let dir = parent_dir(output);
        if !dir.is_dir() {
            message = format!(
                "{} に書き出せません: フォルダ {} がありません（先にフォルダを作ってください）",
                output.display(),
                dir.display()
            );
        }
    }
    message
}

/// Removes `.<name>.<pid>.tmp` files of `output` that another, finished process left behind.
fn remove_stale_temps(output: &Path) {
    let Some(name) = output.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!(".{name}.");
    let own = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir(parent_dir(output)) else {
        return;
    };
    let minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(pid) = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
        else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) || pid == own {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < minute_ago);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// True when `a` and `b` name the same existing file (also through `..`, a symlink or a hard link).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
            return true;
        }
    }
    let _ = (&ma, &mb);
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// True when `path` names a folder: an existing one, or a name ending in `/` (or `\` on Windows).
pub fn names_a_folder(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    path.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)
}

/// Checks an output file named on the command line before anything is computed: not a folder (the message shows
/// the file name that would be used there) and not one of the input models, whatever its extension.
pub fn check_output(output: &Path, inputs: &[&Path], example_ext: &str) -> Result<(), String> {
    if names_a_folder(output) {
        let stem = inputs
            .last()
            .and_then(|m| m.file_stem())
            .and_then(|s| s.to_str())
            .unwrap_or("model");
        let example = output.join(format!("{stem}.{example_ext}"));
        return Err(format!(
            "{} はフォルダです。-o には書き出すファイルの名前を指定してください（例: -o {}）",
            output.display(),
            example.display()
        ));
    }
    check_not_input(output, inputs)
}

/// Refuses an output that is one of the input models (the same file, whatever its name or extension).
pub fn check_not_input(output: &Path, inputs: &[&Path]) -> Result<(), String> {
    if let Some(input) = inputs.iter().find(|i| same_file(output, i)) {
        return Err(format!(
            "{} は入力のモデル {} と同じファイルです。上書きするとモデルが失われるため書き出しません。-o に別の名前を指定してください",
            output.display(),
            input.display()
        ));
    }
    Ok(())
}

/// `render`'s output when `-o` is left out: the model's name with `.svg`, in the model's folder
/// (`models/iheat-jp.ron` → `models/iheat-jp.svg`), as a document editor saves beside the original.
pub fn default_output(model: &Path, ext: &str) -> PathBuf {
    model.with_extension(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_errors_are_japanese_and_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("ない").join("x.svg");
        let message = write_atomically(&missing, b"x").unwrap_err();
        assert!(message.contains("x.svg に書き出せません"), "{message}");
        assert!(message.contains("フォルダ"), "{message}");
        assert!(!message.contains("os error"), "{message}");
        assert!(!message.contains("No such file"), "{message}");
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // The output is a folder: the temporary file is written, the rename fails, the temporary file goes.
        let output = dir.path().join("図.svg");
        std::fs::create_dir(&output).unwrap();
        let message = write_atomically(&output, b"<svg/>").unwrap_err();
        assert!(message.contains("図.svg に書き出せません"), "{message}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, vec!["図.svg".to_string()], "only the folder remains");
        assert!(!temp_path(&output).exists());
    }

    #[test]
    fn temporary_files_of_a_killed_run_are_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.svg");
        let stale = dir.path().join(".out.svg.999999999.tmp");
        let fresh = dir.path().join(".out.svg.999999998.tmp");
        let other = dir.path().join(".other.svg.999999999.tmp");
        for p in [&stale, &fresh, &other] {
            std::fs::write(p, b"half").unwrap();
        }
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for p in [&stale, &other] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        write_atomically(&output, b"<svg/>").unwrap();
        assert_eq!(std::fs::read(&output).unwrap(), b"<svg/>");
        assert!(!stale.exists(), "an old temporary file of this output goes");
        assert!(fresh.exists(), "one that may still be written stays");
        assert!(other.exists(), "another output's stays");
    }

    #[test]
    fn the_input_model_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("x.svg");
        std::fs::write(&model, "Model()").unwrap();
        let via_dots = dir.path().join(".").join("x.svg");
        let message = check_output(&via_dots, &[&model], "svg").unwrap_err();
        assert!(message.contains("入力のモデル"), "{message}");
        let folder = check_output(dir.path(), &[&model], "svg").unwrap_err();
        assert!(folder.contains("はフォルダです"), "{folder}");
        assert!(folder.contains("x.svg"), "{folder}");
        assert!(check_output(&dir.path().join("y.svg"), &[&model], "svg").is_ok());
        assert!(check_output(Path::new("out/"), &[&model], "svg").is_err());
    }

    #[test]
    fn io_reasons_are_japanese() {
        for kind in [
            io::ErrorKind::NotFound,
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::Other,
        ] {
            let text = io_ja(&io::Error::new(kind, "English words"));
            assert!(!text.contains("English"), "{text}");
        }
        assert!(io_ja(&io::Error::from_raw_os_error(2)).contains("見つかりません"));
    }
}
