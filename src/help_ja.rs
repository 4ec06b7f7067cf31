//! `--help` in Japanese. The command line is declared once, in English doc comments (they also
//! make the shell completions and the README's option list); for a Japanese locale (or
//! `--lang ja`) the built command gets the Japanese text of every command and argument from the
//! tables here, and clap's own headings, defaults, environment variables and value lists are
//! written in Japanese too. A test fails when an argument has no Japanese text.

use clap::builder::StyledStr;
use clap::Command;

/// The about line of each command (the root is "").
const COMMANDS: &[(&str, &str)] = &[
    (
        "",
        "インフラストラクチャ・アズ・コードを情報セキュリティ細則に照らして検査するコンプライアンス・リンター",
    ),
    ("check", "ファイルとディレクトリを検査します（`-` は標準入力）"),
    (
        "cluster",
        "稼働中の Kubernetes クラスタを API サーバ経由で読み取り専用で検査します（docs/cluster.md）",
    ),
    ("rules", "規則カタログを一覧表示します"),
    (
        "coverage",
        "自動検査する条項、一部を自動検査する条項、手動で証跡を確認する条項を示します",
    ),
    (
        "completions",
        "シェルの補完スクリプトを出力します（例: `kijun completions bash > ~/.local/share/bash-completion/completions/kijun`）",
    ),
    ("init", "説明付きの kijun.toml を現在のディレクトリに作成します"),
    ("explain", "規則の説明を表示します"),
    (
        "version",
        "ツール、規則カタログのバージョンと細則の版を表示します（報告書や不具合報告用。`--version` はテキストで同じものを表示します）",
    ),
    (
        "help",
        "このヘルプ、又は指定したサブコマンドのヘルプを表示します",
    ),
];

/// Japanese help by (command, argument id); a command of "*" is the text for that argument in
/// every command that has no entry of its own.
const ARGS: &[(&str, &str, &str)] = &[
    ("*", "help", "ヘルプを表示します"),
    ("", "version", "バージョンを表示します"),
    (
        "check",
        "paths",
        "検査するファイル又はディレクトリ（`-` は標準入力）",
    ),
    (
        "check",
        "format",
        "出力形式: text、compact（1 件 1 行）、json、sarif、junit、github、gitlab、markdown 又は html（納品前セルフチェック報告書）。繰り返し指定でき、--format の後の --output FILE はその形式を FILE に書き出します。-f がないときは環境変数 KIJUN_FORMAT（カンマ区切り）を使います",
    ),
    (
        "cluster",
        "format",
        "出力形式（kijun check と同じ。繰り返し指定でき、--output と対になります）",
    ),
    (
        "*",
        "output",
        "直前の --format の出力を標準出力ではなくこのファイルに書き出します（繰り返し指定可）",
    ),
    (
        "check",
        "lang",
        "メッセージの言語: ja 又は en（既定: LC_ALL、LC_MESSAGES、LANG の順に見て、ja で始まれば日本語）",
    ),
    (
        "cluster",
        "lang",
        "メッセージの言語: ja 又は en（既定: LANG から）",
    ),
    (
        "rules",
        "lang",
        "タイトルの言語: ja 又は en（既定: LC_ALL、LC_MESSAGES 又は LANG から）",
    ),
    (
        "*",
        "lang",
        "言語: ja 又は en（既定: LC_ALL、LC_MESSAGES 又は LANG から）",
    ),
    (
        "check",
        "classification",
        "プロジェクトの格付。例: `c=3,i=2,a=2`（既定は 2/2/2）",
    ),
    (
        "cluster",
        "classification",
        "クラスタで動くシステムの格付。例: `c=3,i=2,a=2`（既定は 2/2/2）",
    ),
    (
        "check",
        "vars",
        "Terraform の変数 `name=value`（繰り返し指定可）",
    ),
    (
        "check",
        "parameters",
        "CloudFormation・ARM テンプレートのパラメーター `Name=Value`（繰り返し指定可）",
    ),
    (
        "check",
        "var_files",
        "Terraform の変数ファイル（繰り返し指定可）",
    ),
    (
        "*",
        "rules",
        "この規則だけを実行します（id 又は名前。繰り返し指定可）",
    ),
    (
        "*",
        "skip_rules",
        "この規則を実行しません（id 又は名前。繰り返し指定可）",
    ),
    (
        "check",
        "articles",
        "この条項を引用する規則だけを実行します（`133` 又は `133-1-1`。繰り返し指定可）",
    ),
    (
        "cluster",
        "articles",
        "この条項を引用する規則だけを実行します（繰り返し指定可）",
    ),
    (
        "rules",
        "article",
        "この条（`133`）又は項・号（`133-1-1`）を引用する規則だけを表示します",
    ),
    (
        "rules",
        "platform",
        "このプラットフォームの規則だけを表示します",
    ),
    (
        "rules",
        "format",
        "出力形式: text、json 又は markdown（docs/rules.md の表）",
    ),
    ("coverage", "format", "出力形式: text 又は json"),
    ("version", "format", "出力形式: text 又は json"),
    (
        "check",
        "severity_threshold",
        "この重要度以上の違反だけを報告します: info、low、medium、high（それ以外は表示せず、その規則は「未実施」として報告します）",
    ),
    (
        "cluster",
        "severity_threshold",
        "この重要度以上の違反だけを報告します: info、low、medium、high",
    ),
    (
        "check",
        "fail_on",
        "この重要度以上の違反があるときだけ終了コード 1 で終了します（info、low、medium、high）。違反はすべて報告します。読み込めないファイルがあるときも 1 で終了します",
    ),
    (
        "check",
        "soft_fail",
        "何が見つかっても終了コード 0 で終了します（使い方や設定の誤りは 2 のまま）",
    ),
    (
        "check",
        "quiet",
        "テキスト出力で、違反、読み込みエラー、集計だけを表示します",
    ),
    (
        "check",
        "stdin_format",
        "標準入力（`-`）の形式: terraform、kubernetes、cloudformation、arm 又は plan（既定: --stdin-filename の拡張子から。なければ terraform）",
    ),
    (
        "check",
        "stdin_filename",
        "標準入力を報告するときのファイル名（例: `chart/rendered.yaml`）",
    ),
    (
        "check",
        "config",
        "設定ファイル（既定: 最初のパスから上へ、プロジェクトルートの中で見つかる kijun.toml）",
    ),
    (
        "cluster",
        "config",
        "設定ファイル（kijun.toml: 格付、例外台帳、規則の設定）",
    ),
    (
        "*",
        "now",
        "例外の期限などを判定する基準日 YYYY-MM-DD（既定: 今日、UTC）",
    ),
    (
        "*",
        "baseline",
        "このベースラインに記録された違反は「ベースライン」として報告し、新しい違反だけを不合格とします",
    ),
    (
        "*",
        "write_baseline",
        "今日の違反をこのベースラインファイルに記録します",
    ),
    (
        "check",
        "max_file_size",
        "上限: 読み込むファイルの最大サイズ（バイト。超えたファイルは読まずに報告します）",
    ),
    (
        "check",
        "max_instances",
        "上限: 一つの count・for_each・dynamic が展開するインスタンスの最大数",
    ),
    (
        "check",
        "max_depth",
        "上限: 一つの JSON・YAML 文書又は Terraform の値の中で入れ子にできるリストとオブジェクトの深さ（超えた入力は読まずに報告します）",
    ),
    (
        "check",
        "max_eval_work",
        "上限: Terraform のルートモジュールごとの評価の仕事量（式の評価一つ、値のノードの複製・生成一つ、文字列 64 バイトごとに 1 単位。超えたらそのルートの残りは「未評価」として報告します）",
    ),
    (
        "check",
        "plugins",
        "kijun.toml の `[plugins] paths` に加えて実行する WASM ポリシープラグイン（繰り返し指定可）",
    ),
    (
        "cluster",
        "plugins",
        "実行する WASM ポリシープラグイン（繰り返し指定可）",
    ),
    (
        "check",
        "exclude",
        "この .gitignore 形式のパターンに一致するファイルとディレクトリを除外します。パターンは検査する各ディレクトリからの相対パスです（繰り返し指定可。kijun.toml の `[scan] exclude` に追加されます）。例: `examples/**`、`test/`、`**/fixtures/**`。除外したパターンはすべての報告書の実行情報に記載されます",
    ),
    (
        "check",
        "root",
        "プロジェクトルート: 検査対象が指すもの（リンク、見つかった kijun.toml の例外台帳とプラグイン、モジュールのソース）はこの中だけを読みます。既定: 各パスから上へ .git 又は .hg のある最も近いディレクトリ、なければパス自身",
    ),
    (
        "check",
        "isolated",
        "検査対象の中の kijun.toml（とそれが指す例外台帳・プラグイン）をすべて無視し、--config とコマンドラインだけで決めます。他者の納品物を検査するとき用です（納品物自身の設定で格付を下げたり規則を外したりできないように）",
    ),
    (
        "check",
        "assume",
        "コードが決めていない配備先の前提 KEY=VALUE（繰り返し指定可。`[assume]` より優先）: aws_region、azure_resource_group_location、google_region",
    ),
    (
        "check",
        "cluster",
        "名前空間全体にかかわる情報（NetworkPolicy、PodDisruptionBudget、Namespace）を稼働中のクラスタからも読みます。違反はファイルについて報告します（docs/cluster.md）",
    ),
    (
        "*",
        "kubeconfig",
        "kubeconfig ファイル（既定: $KUBECONFIG、なければ ~/.kube/config、Pod の中で実行するときはクラスタ内のサービスアカウント）",
    ),
    (
        "*",
        "context",
        "kubeconfig のコンテキスト（既定: 現在のコンテキスト）",
    ),
    (
        "*",
        "namespaces",
        "この名前空間だけを読みます（繰り返し指定可。既定: コンテキストの名前空間）",
    ),
    ("*", "all_namespaces", "すべての名前空間を読みます"),
    (
        "*",
        "timeout",
        "API サーバへの一つの要求（接続、又は一覧の 1 ページ）にかけてよい秒数",
    ),
    (
        "completions",
        "shell",
        "シェル: bash、zsh、fish、elvish 又は powershell",
    ),
    ("init", "force", "既存の kijun.toml を上書きします"),
    (
        "explain",
        "rule",
        "規則の id（`KJ-E1-001`）又は名前（`ebs-volume-unencrypted`）",
    ),
];

/// The Japanese text of argument `id` of command `command`.
fn arg_text(command: &str, id: &str) -> Option<&'static str> {
    let find = |c: &str| {
        ARGS.iter()
            .find(|(cmd, arg, _)| *cmd == c && *arg == id)
            .map(|(_, _, t)| *t)
    };
    find(command).or_else(|| find("*"))
}

fn command_text(command: &str) -> Option<&'static str> {
    COMMANDS
        .iter()
        .find(|(c, _)| *c == command)
        .map(|(_, t)| *t)
}

const TEMPLATE: &str =
    "{before-help}{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}";

/// `cmd` with Japanese help: every about line and argument, clap's headings, and the default
/// values, environment variables and value lists each argument shows.
pub fn japanese(mut cmd: Command) -> Command {
    // Built first, so the help and version flags clap adds exist and can be translated.
    cmd.build();
    localize(cmd, "")
}

fn localize(mut cmd: Command, name: &str) -> Command {
    if let Some(about) = command_text(name) {
        cmd = cmd.about(about);
    }
    cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("コマンド");
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let Some(text) = arg_text(name, &id) else {
            continue;
        };
        cmd = cmd.mut_arg(&id, |a| {
            let mut help = text.to_string();
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() && !a.is_hide_possible_values_set() {
                help.push_str(&format!("［値: {}］", values.join(", ")));
            }
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && !a.is_hide_default_value_set() {
                help.push_str(&format!("［既定値: {}］", defaults.join(", ")));
            }
            if let Some(env) = a.get_env().filter(|_| !a.is_hide_env_set()) {
                help.push_str(&format!("［環境変数: {}］", env.to_string_lossy()));
            }
            a.help(StyledStr::from(help))
                .hide_possible_values(true)
                .hide_default_value(true)
                .hide_env(true)
                .help_heading(if positional {
                    "引数"
                } else {
                    "オプション"
                })
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        cmd = cmd.mut_subcommand(&sub, |s| localize(s, &sub));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command and argument has Japanese help: an option added without a translation
    /// would show English alone in a Japanese terminal.
    #[test]
    fn every_command_and_argument_has_japanese_help() {
        let mut cmd = crate::Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        let mut check = |c: &Command, name: &str| {
            if command_text(name).is_none() {
                missing.push(format!("command `{name}`"));
            }
            for a in c.get_arguments() {
                if arg_text(name, a.get_id().as_str()).is_none() {
                    missing.push(format!("`{name}` argument `{}`", a.get_id()));
                }
            }
        };
        check(&cmd, "");
        for s in cmd.get_subcommands() {
            check(s, s.get_name());
        }
        assert!(missing.is_empty(), "no Japanese help for: {missing:?}");
        // Every entry of the tables is used: a renamed argument leaves no stale text behind.
        for (c, id, _) in ARGS {
            let used = if *c == "*" {
                std::iter::once(&cmd)
                    .chain(cmd.get_subcommands())
                    .any(|s| s.get_arguments().any(|a| a.get_id() == *id))
            } else {
                std::iter::once(&cmd)
                    .chain(cmd.get_subcommands())
                    .filter(|s| (if c.is_empty() { "" } else { s.get_name() }) == *c)
                    .any(|s| s.get_arguments().any(|a| a.get_id() == *id))
            };
            assert!(used, "no argument `{id}` in command `{c}`");
        }
    }

    #[test]
    fn the_rendered_help_is_japanese() {
        let mut cmd = japanese(crate::Cli::command());
        let check = cmd
            .find_subcommand_mut("check")
            .map(|c| c.render_long_help().to_string())
            .unwrap_or_default();
        assert!(check.contains("使い方: kijun check"), "{check}");
        assert!(check.contains("引数:"), "{check}");
        assert!(check.contains("オプション:"), "{check}");
        assert!(check.contains("［既定値: .］"), "{check}");
        assert!(check.contains("［環境変数: KIJUN_LANG］"), "{check}");
        assert!(check.contains("［値: terraform, kubernetes, cloudformation, arm, plan］"));
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "[default:",
            "[env:",
            "Print help",
        ] {
            assert!(!check.contains(english), "`{english}` in:\n{check}");
        }
        let root = cmd.render_help().to_string();
        assert!(root.contains("コマンド:"), "{root}");
        assert!(root.contains("規則カタログを一覧表示します"), "{root}");
        assert!(!root.contains("Commands:"), "{root}");
    }
}
