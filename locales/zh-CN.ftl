# kanwu 的中文消息。每个 id 在 en.ftl 中也有，参数相同（有测试检查）。按使用它的源文件分组。
## diag.rs：每条诊断的框架
diag-error = 错误
diag-warning = 警告
diag-hint = 提示：{ $text }
diag-in-file = 见 { $path }

## src/model/paths.rs
paths-no-issue-at = 找不到期刊文件夹 { $shown }
paths-not-a-regular-file = { $shown } 不是普通文件（而是命名管道、套接字或设备）；kanwu 只读取普通文件
paths-not-a-regular-file-hint = 把它换成文件本身（编辑器保存的文本文件）
paths-cannot-open-issue-folder = 无法打开期刊文件夹：{ $e }
paths-cannot-open-folder-holding = 无法打开存放期刊文件夹 { $named } 的文件夹：{ $e }
paths-cannot-open = 无法打开 { $shown }：{ $e }
paths-leads-outside = { $shown } 指向 { $real }，在 { $inside } 之外：{ $rule }
paths-path-leaves-issue-folder = { $what ->
        [image] 图片
       *[other] 文章
    }路径 `{ $rel }` 超出了期刊文件夹（{ $why }）
paths-empty-path = { $what ->
        [image] 图片
       *[other] 文章
    }路径为空
paths-file-does-not-exist = { $what ->
        [image] 图片
       *[other] 文章
    }文件 `{ $rel }` 不存在
paths-cannot-open-2 = 无法打开{ $what ->
        [image] 图片
       *[other] 文章
    } `{ $rel }`：{ $e }
paths-not-file = { $what ->
        [image] 图片
       *[other] 文章
    } `{ $rel }` 不是文件
paths-name-issue-folder-holding = 请指定一个期刊文件夹（内有 issue.toml）或其中的 issue.toml，例如 `kanwu build issues/2021-01`
paths-copy-file-or-folder = 请把文件（或文件夹）复制到该处，不要用链接；kanwu 不读取期刊总文件夹以外的任何内容
paths-keep-every-inside-issue = 每个{ $what ->
        [image] 图片
       *[other] 文章
    }都应放在期刊文件夹内，并用相对路径指明，例如 `images/figure1.png`
paths-create-or-correct-name = 请创建 { $joined }，或改正文件名

## src/cli/mod.rs
cli-not-kanwu-project-has = { $shown } 不是 kanwu 项目：其中没有 layout/、fonts/ 或 issues/ 文件夹
cli-current-folder-not-kanwu-project = 当前文件夹不是 kanwu 项目：其中没有 layout/、fonts/ 或 issues/ 文件夹
cli-msg = { $what }：{ $failed }{ $tail }
cli-could-not-be-replaced = 无法替换 { $wanted }（是否正在 PDF 阅读器中打开？）；已改为在旁边写入 { $written }
cli-run-kanwu-init-start = 运行 `kanwu init` 在此新建刊物，或用 --root DIR 指定项目文件夹（内有 layout/、fonts/ 和 issues/）
cli-close-pdf-and-build = 关闭该 PDF 后重新生成，即可按原名写入
cli-error = 错误：{ $message }
cli-error-cannot-write-output = 错误：无法写出结果（原文：`{ $e }`）

## src/cli/build.rs
cli-build-preflight-found-error-s = 印前检查发现 { $report } 处错误
cli-build-issues-failed-no-pdf = { $items } 期中有 { $failed } 期生成失败：{ $failed2 }；这些期没有写出 PDF
cli-build-built-pages-kb-s = 已生成 { $pdf }（{ $pages } 页，{ $bytes } KB），用时 { $start } 秒
cli-build-wrote = 已写入 { $extra }
cli-build-issues-built-s = 已生成 { $result } 期（共 { $items } 期），输出到 { $out }，用时 { $start } 秒
cli-build-wrote-typst-project = 已写出 Typst 项目 { $dir }
cli-build-s = [{ $n }/{ $total }] { $name } { $what ->
        [built] 完成
       *[other] 失败
    }，用时 { $elapsed } 秒
cli-build-o-output-and-emit = -o/--output 和 --emit-typst 只能用于单独一期
cli-build-notice-latest-issue = 注意：未指定期刊文件夹，排最新一期 { $dir }
cli-build-booklet-goes-with-profile = --booklet 须与 --profile print 一起使用

## src/cli/editor.rs
cli-editor-created-dated-after = 已新建 { $shown } —— { $year }年第{ $number }期{ $s }，日期 { $date }（接续 { $from }）
cli-editor-next = 下一步：
cli-editor-imported-sections-articles-into = 已导入 { $sections } 个栏目、{ $articles } 篇文章到 { $shown }
cli-editor-next-check-titles-and = 下一步：检查标题和小标题，然后运行 `kanwu build { $shown }`
cli-editor-wrote = 已写入 { $path }
cli-editor-not-imported-check-these = 未导入（请手工检查）：
cli-editor-next-check-then-add = 下一步：检查 { $markdown }，然后把 "{ $name }" 加到 issue.toml 的某个栏目中
cli-editor-pages-ms = { $rebuilt ->
        [built] 已生成
       *[other] 已重新生成
    } { $pdf }（{ $pages } 页），用时 { $elapsed } 毫秒
cli-editor-failed-kept-last-good = 生成失败：保留上次成功的 { $kept }；继续监视
cli-editor-watching-for-changes-ctrl = 正在监视 { $watching } 的改动；按 `Ctrl-C` 停止
cli-editor-notice = 注意：{ $n }
cli-editor-notice-no-issue-folder = 注意：未指定期刊文件夹，导入到最新一期 { $dir }
cli-editor-issue-folder-gone-kept = 期刊文件夹 { $folder } 不见了：保留上次成功的 { $kept }；等它恢复
cli-editor-issue-folder-back-watching = 期刊文件夹 { $folder } 已恢复：继续监视
cli-editor-date-not-date-write = --date { $d } 不是日期；请写成 YYYY-MM-DD，例如 2021-02-20
cli-editor-date-number-and-serial = --date、--number 和 --serial 只用于文本期刊；.docx 文章要放进已有的期刊文件夹：`kanwu import article.docx issues/2021-03`

## src/cli/archive.rs
cli-archive-extracted-files-into = 已提取 { $files } 个文件到 { $dir }
cli-archive-wrote-inputs-outputs = 已写入 { $path }（{ $inputs } 个输入，{ $outputs } 个输出）
cli-archive-ok-inputs-as-recorded = 一致     { $issue }（{ $inputs } 个输入；{ $outputs } 与记录相同）
cli-archive-wrote-issues-and-pages = 已写入 { $json }（{ $issues } 期）和 { $pdf }（{ $pages } 页）

## src/cli/export.rs
cli-export-wrote-ms = 已写入 { $path }（{ $bytes }，用时 { $started } 毫秒）
cli-export-wrote = 已写入 { $path }（{ $bytes }）
cli-export-files-ms = 共 { $files } 个文件，用时 { $started } 毫秒
cli-export-bytes = { $bytes } 字节
cli-export-kb = { $kb } 千字节
cli-export-o-names-one-file = -o 只指定一个文件：只能用于单独一期，多期请用 --out-dir DIR
cli-export-article-names-article-one = --article 指定的是某一期中的文章：请只给一期

## src/cli/fonts.rs
cli-fonts-wrote-fonts-fonts-lock = 已写入 fonts/fonts.lock（{ $fonts } 个文件）
cli-fonts-all-locked-fonts-match = 所有锁定的字体都与 fonts/fonts.lock 一致
cli-fonts-layout-theme-typ-names = layout/{ $layout }/theme.typ 指定的字体：{ $roles }
cli-fonts-missing-role-names-which = 缺少字体：角色 `{ $role }` 指定了 "{ $family }"，但没有字体提供它

## src/cli/init.rs
cli-init-started-publication-layout-and = 已在 { $dir } 新建刊物（layout/ 和 fonts/ 复制自 { $from }）
cli-init-next = 下一步：
cli-init-number-counts-from-1 = --number 从 1 开始计数
cli-init-layout-there-no-layout = --layout { $layout }：{ $from } 中没有 layout/{ $layout }

## src/cli/serve.rs
cli-serve-warning-listening-on-anyone = 警告：正在监听 { $ip }：凡能访问本机 { $port } 端口的人都能阅读本期（默认的 127.0.0.1 只限本机）
cli-serve-notice-cannot-open-browser = 注意：无法打开浏览器（原文：`{ $e }`）；请自行打开 { $url }

## src/model/manifest.rs
manifest-mb-kanwu-reads-text = { $shown } 有 { $size } MB；kanwu 只读取不超过 { $max } MB 的文本文件
manifest-cannot-read = 无法读取 { $shown }：{ $e }
manifest-not-utf-8-text = { $shown } 不是 UTF-8 文本（第一个无效字节在第 { $line } 行）
manifest-manifest-as-upgraded-from = { $e }（在从 schema { $schema } 升级后的清单中）
manifest-missing-schema = 缺少 `schema`
manifest-this-file-written-for = 此文件是按清单 schema { $n } 写的；kanwu { $version } 读取 schema { $schema }
manifest-schema-must-be-schema = `schema` 必须是 { $schema }
manifest-out-range = { $what } { $n } 超出范围
manifest-issue-kind-not-known = 未知的期刊类型 `{ $other }`
manifest-section-kind-not-known = 栏目类型 `{ $kind }` 不是已知类型，也没有标题
manifest-section-lists-no-articles = 栏目“{ $title }”（`{ $kind }`）没有列出文章
manifest-article-listed-twice = 文章 `{ $a }` 列出了两次
manifest-issue-lists-articles-kanwu = 本期列出了 { $count } 篇文章；kanwu 一期最多排 { $max } 篇
manifest-issue-empty-has-no = 本期是空的：没有栏目
manifest-add-a-section = 加一个栏目，例如：
    { $example }
manifest-not-day-calendar = { $d } 不是日历上的日期
manifest-date-must-be-date = `date` 必须是不带时间的日期
manifest-date-text-not-date = `date` 是文本 "{ $s }"，不是日期
manifest-date-must-be-date-2 = `date` 必须是日期，这里是 { $other }
manifest-issue-s-date-not = 本期日期 { $date } 不在其年份 { $year } 内
manifest-split-article-into-several = 把这篇文章拆成几篇（一期最多列 { $max } 篇）
manifest-was-probably-saved-as = 它可能是以 GBK/GB18030 保存的；请另存为 UTF-8（记事本：另存为 → 编码 UTF-8），或用 `iconv -f GB18030 -t UTF-8` 转换
manifest-not-utf-16-text = { $shown } 是 kanwu 无法读取的 { $name } 文本（缺少字节顺序标记，或已损坏）
manifest-save-as-utf-8 = 请把它另存为 UTF-8（记事本：另存为 → 编码 UTF-8）
manifest-write-toml-date-without = 日期按 TOML 写法，不加引号，例如 date = 2021-01-20
manifest-start-file-with-schema = 文件开头写 `schema = { $schema }`
manifest-build-with-newer-kanwu = 请用较新的 kanwu（写出它的那个版本）生成
manifest-write-schema-schema = 写成 `schema = { $schema }`
manifest-number-from = { $what } 是 { $start } 到 { $end } 之间的数
manifest-write-kind-supplement-for = 增刊写 kind = "supplement"（与正刊分开编号）；正刊则删去这一行
manifest-correct-date-or-year = 请改正 `date` 或 `year`；如果 { $year } 年的这一期确实在 { $date } 出刊，可以不改
manifest-give-title-title-or = 给它一个标题（title = "专题研究"），或使用以下类型之一：{ $kinds }
manifest-add-articles-file-md = 加上 articles = ["file.md"]，或删去这个栏目
manifest-article-appears-once-per = 一篇文章在一期中只能出现一次；删去其中一处
manifest-split-into-several-issues = 把它拆成几期（或出增刊，kind = "supplement"）

## src/model/publication.rs
publication-publication-empty = 刊物信息 `{ $field }` 为空
publication-layout-not-folder-name = 版式 `{ $l }` 不是文件夹名
publication-unknown-paper = 未知的纸张 `{ $s }`
publication-page-budget-not-page = page_budget = { $n } 不是页数
publication-bleed-mm-more-than = 出血 { $mm } mm 超过了 10 mm
publication-bleed-not-length = 出血 `{ $b }` 不是长度
publication-spot-colour-has-no = 专色没有名称
publication-pad-pages-can-be = pad_to = { $n }：页数只能补足到 1、2 或 4 的倍数
publication-name-folder-under-layout = 请写 layout/ 下的一个文件夹名，例如 layout = "express"
publication-use-a4-b5-16k = 请用 a4、b5、16k，或 "210x285mm" 这样的尺寸
publication-pages-issue-should-fill = 一期应排满的页数，1 到 999，例如 page_budget = 12
publication-printers-ask-for-3 = 印刷厂一般要求出血 3 mm（有时 5 mm）：bleed = "3mm"
publication-write-length-with-its = 长度要带单位：bleed = "3mm"（mm、cm、pt 或 in）
publication-name-ink-as-printer = 按印刷厂色卡上的名称写油墨，例如 spot = "PANTONE 485 C"；或删去这一行，用 CMYK 印红色
publication-saddle-stitched-booklets-need = 骑马订小册子需要 pad_to = 4；1 表示不补页

## src/model/article.rs
article-article-has-no-title = 文章没有标题
article-image-inside-line-text = 图片夹在一行文字中间，无法排版
article-add-title-front-matter = 在 +++ 行之间的文章信息中加上 title = "…"（只有编者的话可以没有标题）
article-put-image-on-line = 图片要单独占一行，前后各空一行：![图1 说明](images/x.png)

## src/model/front_matter.rs
front-matter-front-matter-not-closed = 文章信息（front matter）没有结束
front-matter-front-matter-fields-are = 文章信息的字段有 title、subtitle、source 和 author
front-matter-end-front-matter-with = 用单独一行 +++ 结束文章信息

## src/model/loaded.rs
loaded-no-publication-toml-next = 期刊文件夹旁边没有 publication.toml（查找了 { $path }）
loaded-cannot-read-folder-issues = 无法读取期刊总文件夹 { $dir }：{ $e }
loaded-no-issues-no-folder = { $dir } 中没有期刊：其中没有哪个文件夹含有 issue.toml
loaded-publication-toml-paper-lives = publication.toml（刊名、编印单位、纸张、版记）放在存放各期文件夹的那个文件夹里，例如 issues/publication.toml
loaded-name-folder-that-holds = 请指定存放各期文件夹的那个文件夹，例如 `--all issues`

## src/project.rs
project-cannot-open-project-root = 无法打开项目根目录 { $root }：{ $e }
project-cannot-read = 无法读取 { $what }：{ $e }

## src/util.rs
util-cannot = 无法{ $what ->
        [create-folder] 创建所在文件夹
        [keep] 保留原有的
       *[write] 写入
    } { $path }：{ $e }
io-not-found = 它不存在
io-permission-denied = 没有权限：请找管理这台电脑的人，或换一个自己的文件夹
io-already-exists = 它已经存在
io-not-a-folder = 它不是文件夹
io-is-a-folder = 它是文件夹，不是文件
io-folder-not-empty = 文件夹不是空的
io-read-only = 磁盘是只读的
io-disk-full = 磁盘已满：请腾出空间后重试
io-not-text = 它不是有效的文本文件
io-busy = 另一个程序正在使用它：请关闭后重试
io-bad-name = 这里不允许这个名称
io-other = 系统报告了一个错误（原文：`{ $e }`）
util-already-exists-kanwu-never = { $shown } 已存在；kanwu 从不覆盖文件夹
util-cannot-create = 无法创建 { $shown }：{ $e }
util-name-new-folder-or = 请另起一个新文件夹名，或先删除那个文件夹

## src/typeset/compile.rs
compile-pdf-3b-not-available = 无法生成 PDF/A-3b（原文：`{ $e }`）
compile-pdf-export-failed = PDF 导出失败：{ $message }

## src/typeset/fonts.rs
fonts-font-file-not-fonts = 字体文件 { $file } 不在 fonts/fonts.lock 中
fonts-font-folder-does-not = 字体文件夹 { $d } 不存在
fonts-cannot-read = 无法读取 { $shown }：{ $e }
fonts-fonts-lock-malformed = fonts.lock 格式有误（原文：`{ $e }`）
fonts-locked-font-missing = 锁定的字体 { $shown } 不见了
fonts-locked-font-has-changed = 锁定的字体 { $shown } 已改变：{ $m } 字节，锁文件记的是 { $size }
fonts-locked-font-has-changed-2 = 锁定的字体 { $path } 已改变：sha256 为 { $sum }，锁文件记的是 { $sha256 }
fonts-cannot-read-2 = 无法读取 { $name }（原文：`{ $e }`）
fonts-build-uses-only-locked = 生成只用锁定的字体；运行 `kanwu fonts --lock` 记录它（再补上来源），或把它移出 fonts/
fonts-check-font-path-argument = 请检查 --font-path 参数
fonts-run-kanwu-from-project = 请在项目根目录（fonts/ 和 fonts/fonts.lock 所在处）运行 kanwu，或用 --root 指定
fonts-restore-from-see-fonts = 从 { $origin } 恢复它（见 fonts/fonts.lock）
fonts-restore-file-from-or = 从 { $origin } 恢复该文件，或有意用 `kanwu fonts --lock` 重新锁定
fonts-restore-file-from = 从 { $origin } 恢复该文件

## src/typeset/layout.rs
layout-layout-s-font-not = 版式的 `{ $role }` 字体 "{ $family }" 不可用
layout-layout-breaks-kanwu-s = 版式 `{ $layout }` 不符合 kanwu 的版式约定：{ $what }
layout-vendor-fonts-and-lock = 把字体放进 fonts/（并锁定），或用 --font-path 指定其文件夹，或在版式的 theme.typ 中改用别的字体
layout-see-layout-readme-md = 见 layout/README.md 的 "What the layout must place"：每个栏目和有标题的文章都要有标签，主题字体和版心要作为 metadata 放置

## src/typeset/mod.rs
typeset-layout-not-found-does = 找不到版式 `{ $layout }`：{ $main } 不存在
typeset-layout-breaks-kanwu-s = 版式 `{ $layout }` 不符合 kanwu 的版式约定：{ $entry }
typeset-name-folder-under-layout = 请写 layout/ 下的一个文件夹名（默认是 "express"），或用 --root 指定有该版式的项目
typeset-see-layout-readme-md = 版式应提供什么，见 layout/README.md

## src/print/boxes.rs
boxes-cannot-add-bleedbox-print = 无法在印刷 PDF 中加入 BleedBox（出血框）（原文：`{ $e }`）
boxes-print-page-without-bleed = 版式 `{ $layout }` 不符合 kanwu 的版式约定：印刷版 PDF 第 { $page } 页没有出血（也就没有裁切框）
boxes-set-the-bleed = 每个印刷页（包括空白页）都要按 document.json 中 `output` 的 `bleed_mm`、`slug_mm` 留出血和页边说明区：见 layout/README.md 第 5 节
boxes-cannot-write-print-pdf = 无法写出印刷 PDF（原文：`{ $e }`）

## src/print/impose.rs
impose-saddle-stitched-booklet-needs = 骑马订小册子的页数须是 4 的倍数，印刷 PDF 有 { $pages } 页
impose-set-pad-4-under = 在 publication.toml 的 [print] 下设 pad_to = 4

## src/print/mod.rs
print-replace-character-or-add = 替换该字符，或加入含有它的字体（--font-path）并在 theme.typ 中指定
print-layout-cmyk-in-pdfa = 版式 `{ $layout }` 不符合 kanwu 的版式约定：它的{ $profile } PDF（PDF/A）用了四色（CMYK）颜色，而 PDF/A 不接受
print-layout-cmyk-only-in-print = 在 layout/{ $layout }/theme.typ 中只在 `doc.output.profile` 为 "print" 时用四色颜色，其他情况用 RGB（见 layout/README.md 第 5 节）

## src/print/preflight/frames.rs
frames-preflight = 印前检查：{ $message }
frames-preflight-text-runs-outside = 印前检查：文字超出了版心
frames-preflight-runs-below = 印前检查：内容超出了版心下沿
frames-on-page-use-image = 在第 { $index } 页；这个尺寸需要宽至少 { $inches } 像素的图片
frames-on-page-word-too = 在第 { $number } 页：有一个过长而无法断行的词（网址、长数字）；请给它断行的机会，或缩短它

## src/print/preflight/glyphs.rs
glyphs-preflight = 印前检查：{ $message }

## src/print/preflight/mod.rs
preflight-preflight = 印前检查：{ $message }

## src/print/preflight/text.rs
preflight-text-preflight = 印前检查：{ $message }
preflight-text-usually-comes-with-text = 它通常来自从数据库或旧文字处理软件复制的文字；删掉它（能显示不可见字符的编辑器可以找到它）

## src/print/preflight/typeset_text.rs
preflight-typeset-preflight = 印前检查：{ $message }
preflight-typeset-keep-one-mark-full = 只留一个标点：句号放在后引号之内或之后，不要两处都有

## src/editor/docx.rs
docx-already-exists-kanwu-import = { $existing } 已存在；kanwu import 从不覆盖文件
docx-not-readable-docx = { $shown } 不是可读的 .docx 文件：{ $why }
docx-move-away-or-import = 把它移走，或导入到另一个文件夹
docx-open-word-or-wps = 用 Word 或 WPS 打开并重新另存为 .docx，或另存为纯文本
docx-part-too-large = { $shown }：其中的 { $part } 解压后超过 { $max } MiB（至少 { $size } MiB）；什么也没有导入
docx-part-too-large-hint = 真实文档的各部分远小于此：请用 Word 或 WPS 打开它，压缩其中的图片（图片格式 → 压缩图片）后重新保存
docx-total-too-large-hint = kanwu 从一个 .docx 最多导入这么多：请拆分文档，或在 Word/WPS 中压缩图片（图片格式 → 压缩图片）后重新保存
docx-picture-too-large = { $shown }：图片 { $part } 声明为 { $w } × { $h } 像素，超过 { $max } 百万像素；什么也没有导入
docx-picture-too-large-hint = 版面用不到这么大的图片：请在 Word、WPS 或图像软件中缩小它，再导入
docx-images-is-a-link = { $shown } 是符号链接；kanwu import 只把图片写进本期自己的 images/ 文件夹；什么也没有导入
docx-images-is-a-link-hint = 把这个链接换成普通文件夹（或删除它），再导入

## src/editor/import.rs
import-cannot-read = 无法读取 { $shown }：{ $e }
import-not-text-file-neither = { $shown } 不是文本文件（既不是 UTF-8、带字节顺序标记的 UTF-16，也不是 GBK/GB18030 文本）
import-has-no-sections-no = { $shown } 没有栏目：没有以 ● 开头的行
import-section-marker-without-title = { $shown }:{ $i }：栏目标记 ● 后面没有标题
import-text-before-first-section = { $shown }:{ $i }：第一个栏目之前有文字
import-section-has-no-text = { $shown }：栏目 ●{ $title } 没有正文
import-import-takes-plain-text = import 读取纯文本期刊（.txt，UTF-8 或 GBK）或 Word 的 .docx；请先把文档另存为纯文本
import-section-opens-with-and = 栏目以 ● 加栏目名单独成行开始，例如 ●行业动态
import-write-section-s-title = 在 ● 后写上栏目名，例如 ●行业动态
import-section-opens-with-and-2 = 栏目以 ● 加栏目名单独成行开始，例如 ●编者的话

## src/editor/init.rs
init-holds-no-kanwu-installation = { $dir } 中没有 kanwu 安装：需要 layout/ 和 fonts/fonts.lock
init-cannot-find-kanwu-s = 找不到 kanwu 的 layout/ 和 fonts/：查找了 { $places }
init-cannot-write = 无法写入 { $what }：{ $e }
init-already-holds-kanwu-project = { $shown } 中已有 { $part }/：它已经是 kanwu 项目
init-kanwu-init-cannot-copy = kanwu init 不能把安装复制到它自身中
init-name-folder-kanwu-was = 请指定 kanwu 解压到的文件夹（含 kanwu.exe、layout\ 和 fonts\ 的那个），或一个 kanwu 项目
init-pass-from-dir-folder = 用 --from DIR 指定含 layout/ 和 fonts/ 的文件夹（解压后的 kanwu 包，或一个 kanwu 项目）
init-kanwu-init-never-overwrites = kanwu init 从不覆盖：请在新文件夹中新建刊物，`kanwu init 新文件夹`；本刊的下一期用 `kanwu new`

## src/editor/new.rs
new-new-issue-s-date = 新一期的日期 { $date } 早于上一期（{ $date2 }，{ $dir }）
new-already-exists-kanwu-new = { $target } 已存在；kanwu new 从不覆盖文件夹
new-still-has-placeholder-kanwu = { $path } 中仍是 `kanwu init` 写入的占位{ $what }
new-still-has-kanwu-new = { $path } 中仍是新建本期时写入的占位{ $what ->
        [title] 标题
        [note] 编者的话
       *[other] 正文
    }
new-write-publication-s-own = 在这里写上本刊自己的{ $what }
new-replace-with-article-s = { $what ->
        [title] 换成文章自己的标题
        [note] 换成本期编者的话（编者的话没有标题）
       *[other] 换成文章自己的正文
    }
new-give-new-issue-s = 用 --date YYYY-MM-DD 给出新一期的日期
new-name-another-folder-kanwu = 请换一个文件夹：`kanwu new issues/名称`，或先删除那个文件夹

## src/editor/preview.rs
preview-ppi-out-range = --ppi { $ppi } 超出范围
preview-page-does-not-exist = 第 { $first } 页不存在：本期共 { $total } 页
preview-cannot-encode-page-as = 无法把第 { $n } 页编码为 PNG（原文：`{ $e }`）
preview-use-10-1200-96 = 请用 10 到 1200；屏幕看用 96，打印校样用 300

## src/editor/serve/mod.rs
serve-cannot-listen-on = 无法监听 { $addr }（原文：`{ $e }`）
serve-issue-folder-missing-last = 期刊文件夹 { $issue_dir } 不见了；在它恢复之前，保留上次的页面
serve-cannot-start-server = 无法启动服务（原文：`{ $e }`）
serve-another-program-may-use = 可能有别的程序占用了这个端口：用 --port 换一个

## src/editor/watch.rs
watch-cannot-watch-files = 无法监视文件（原文：`{ $e }`）
watch-cannot-watch = 无法监视 { $path }（原文：`{ $e }`）

## src/export/docx.rs
export-docx-cannot-write-docx = 无法写出 .docx（原文：`{ $e }`）

## src/export/mod.rs
export-issue-has-no-article = 本期没有文章 `{ $name }`
export-name-one = 请指定其中之一：{ $names }

## src/archive/catalog.rs
catalog-layout-placed-no-label = { $name }：版式没有放置标签 <{ $what }>，因此不知道它的页码
catalog-failed-build-so-catalogue = { $issue } 生成失败，因此总目录中没有它
catalog-see-layout-readme-md = 见 layout/README.md：版式要放置的标签

## src/archive/extract.rs
extract-cannot-read-as-pdf = 无法把 { $shown } 作为 PDF 读取（原文：`{ $e }`）
extract-attached-file-cannot-be = { $shown }：有一个附件无法读取（原文：`{ $e }`）
extract-attachment-too-large = `{ $name }` 解压后超过 { $max } MiB，{ $which ->
    [one] 这是 kanwu 对单个附件提取的上限
   *[all] 这是 kanwu 从一个 PDF 提取的总量上限
    }
extract-has-no-attached-files = { $pdf } 没有附件
extract-attached-file = 附件 `{ $name }` { $why }
extract-nothing-was-extracted-into = 没有提取任何文件到 { $shown }：{ $files } 个附件中有 { $refused } 个无法写出
extract-symbolic-link-kanwu-does = { $shown } 是符号链接；kanwu 不通过链接写文件
extract-file-where-attachment-needs = { $shown } 是文件，而附件 `{ $name }` 需要它是文件夹
extract-folder-where-attachment-file = { $shown } 是文件夹，而附件 `{ $name }` 是文件
extract-already-exists-extract-never = { $shown } 已存在；除非明确要求，extract 从不覆盖文件
extract-only-archive-pdf-carries = 只有存档 PDF 带有源文件：用 `kanwu build ISSUE --profile archive` 生成
extract-this-pdf-was-not = 这个 PDF 不是 kanwu 写出的，或已被改动；没有提取任何文件
extract-extract-into-new-folder = 提取到一个新文件夹，或删除该链接
extract-extract-into-new-folder-2 = 提取到一个新文件夹
extract-extract-into-new-folder-3 = 提取到一个新文件夹，或加 --force 覆盖这些文件

## src/archive/release.rs
release-cannot-read = 无法读取 { $file }：{ $e }
release-msg = { $name }：{ $message }
release-no-release-record-does = { $name }：没有发布记录（{ $shown } 不存在）
release-does-not-match-its = { $name } 与其发布记录 { $shown } 不符
release-record-release-first-kanwu = 请先记录发布：`kanwu release { $dir }`
release-release-was-made-with = 发布时用的是 kanwu { $kanwu }；当前是 kanwu { $version }
release-no-recorded-input-changed = 记录的输入都没有变，PDF 却不同：生成结果不可复现；请报告此问题
release-sources-are-as-released = 源文件与发布时相同；请从备份恢复发布记录和已发布的 PDF，或有意重新发布：`kanwu release { $dir }`
release-restore-changed-files-or = 请恢复改动的文件，或有意记录新状态：`kanwu release { $dir }`

## src/archive/release/record.rs
release-record-release-toml-malformed = release.toml 格式有误（原文：`{ $e }`）
release-record-release-toml-has-no = release.toml 中没有 `format`
release-record-release-toml-format-written = release.toml 的格式是 { $n }，由 { $by } 写出；kanwu { $a1 } 读取格式 { $RELEASE_FORMAT }
release-record-release-toml-format-must = release.toml：`format` 必须是 { $RELEASE_FORMAT }
release-record-write-again-with-kanwu = 用 `kanwu release ISSUE` 重新写出
release-record-verify-with-or-newer = 请用 { $by } 或更新的版本核验

## added by hand: fragments and rules
paths-rule-issue-files = 一期的 issue.toml、文章和图片都必须在其期刊文件夹内，期刊文件夹又必须在期刊总文件夹内
paths-rule-publication = publication.toml 必须在存放各期文件夹的那个文件夹内
paths-why-absolute = 它是绝对路径
paths-why-goes-up = 它用 `..` 向上越出
paths-why-symlink-out = 它是指向外面的符号链接
cli-verify-failed = 核验失败
cli-build-failed = 生成失败
cli-build-failed-tail = ；未写出 PDF
cli-export-failed = 导出失败
util-folder-in-the-way = 有一个同名文件夹挡住了
util-close-it-and-build-again = 如果它正在 PDF 阅读器中打开，请关闭后重新生成：印刷 PDF 不会另存为别的文件名，因为印刷工单记录了它的文件名
extract-why-outside = 会被写到文件夹之外（它的名称不是普通的相对路径）
extract-why-twice = 附带了两次
extract-why-file-and-folder = 在附件中既是文件又是文件夹
layout-missing-fonts = `#metadata(fonts) <{ $label }>`（主题的字体角色）
layout-missing-margins = 带 top、bottom、inside、outside 长度的 `#metadata(margins) <{ $label }>`（版心）
layout-missing-label = 标签 <{ $label }>
layout-does-not-place = 它没有放置 { $what }
layout-label-placed-twice = 它把标签 <{ $label }> 放了 { $n } 次；只应放一次
layout-margin-not-absolute = `<{ $label }>` 的 `{ $key }` 是 { $value }：请给绝对长度（mm、pt、cm、in），不要用 em 或 %
layout-margin-missing = `<{ $label }>` 缺少 `{ $key }`：top、bottom、inside、outside 四项都要给出

## src/model/article.rs, text.rs, manifest.rs, image.rs（第二批）
article-h1 = 文章中出现了一级标题（#）
article-h1-hint = 文章标题写在文章信息里（title = "…"）；文章内的小标题从 ## 开始
article-level-6-heading-kanwu = 六级标题（######）：kanwu 只排 ## 到 ##### 的标题
article-use-at-most-five = 最多用五个 #（一、 （一） 1. （1） 是第 2 到第 5 级）
article-block-raw-html-cannot = 原始 HTML 块无法排印
article-write-as-markdown-print = 请改用 Markdown 书写；要照原样印出这段文字，不要缩进，并把第一个 < 写成 \<
article-raw-html-cannot-be = 原始 HTML 无法排印
article-write-as-markdown = 请改用 Markdown 书写
article-construct = 无法排印这种 Markdown 结构：{ $other }
article-remove-or-write-as = 删掉它，或改写成普通段落
article-image-not-file-issue = 图片 `{ $url }` 不是本期的文件
article-download-into-issue-s = 把它下载到本期的 images/ 文件夹，写成 ![图1 …](images/name.png)
article-image-cannot-be-used = 图片 `{ $url }` 无法使用：{ $message }
lengths-paragraph-too-long = 一个段落有 { $n } 个字符：kanwu 排版的段落最多 { $max } 个字符（真实文档中最长的段落也只有几千字）
lengths-paragraph-too-long-hint = 请把它拆成几个段落（段落之间空一行）；如果是误粘贴的数据，请删除
lengths-run-too-long = 连续 { $n } 个字符中既无空格也无可断行之处：kanwu 一串最多排 { $max } 个字符（没有哪个词、数字或网址这么长）
lengths-run-too-long-hint = 如果是误粘贴的数据（编码后的文件、没有空格的表格），请删除；否则请在其中加上空格
article-replace-with-png-or = 换成能在看图软件中打开的 PNG 或 JPEG 文件
article-at-most-12-lists = 列表、引文和强调最多嵌套 12 层
text-defined-here = [^{ $label }] 在此定义
manifest-first-listed-here = 第一次在此列出
text-footnote-may-hold-another = 注释中可以再有注释，但不能绕回自身；请把文字直接写出
text-footnote-refers-itself = 注释 [^{ $first }] 引用了自身
text-notes-refer-to-each-other = 注释 [^{ $first }] 和 [^{ $second }] 互相引用
text-notes-circle = 注释 [^{ $first }]、{ $names } 循环引用
text-too-deep = 嵌套超过 { $max } 层（列表、引文、强调）无法排版；请减少嵌套层次
text-note-too-deep = 注释 [^{ $label }]：{ $too_deep }（注释中的注释也计入）
text-note-too-deep-hint = 把内层注释的文字放进外层注释，或把它移出引文或列表
text-note-too-many = 注释 [^{ $label }] 内含的注释超过 { $max } 个
text-note-too-many-hint = 每条注释只用一次，放在它该在的位置
manifest-write-toml-date-without-2 = 日期按 TOML 写法，不加引号，例如 date = 2021-01-20
manifest-there-no-manifest-schema = 没有清单 schema { $n }：schema 从 1 开始，kanwu { $a1 } 最高读取 { $SCHEMA }
image-not-svg-file = 不是 SVG 文件
image-svg-unreadable = 无法读取这个 SVG：{ $e }
image-svg-script = 这个 SVG 含有脚本（<{ $tag }>），任何版本都不得运行它；请重新导出不带脚本的 SVG（Inkscape：另存为 → 普通 SVG）
image-svg-link = 这个 SVG 引用了它外部的内容（{ $value }），各版本都无法带上；请把图片嵌入 SVG 或删除该链接，再导出为普通 SVG
image-not-image-file-unknown = 不是图片文件（格式未知）

## 印前检查（第二批）
frames-px-placed-mm-wide = { $name }（{ $raster }×{ $raster2 } 像素）排成 { $inches } mm 宽：{ $ppi } ppi；{ $note }
frames-runs-mm-outside-text = { $what ->
        [text] 文字
       *[other] 图片
    }超出版心 { $over } mm{ $bleed ->
        [yes] ，进入了出血区
       *[no] {""}
    }
frames-runs-mm-below-text = { $what ->
        [text] 文字
       *[other] 图片
    }超出版心下沿 { $over } mm
glyphs-u-no-font-tried = U+{ $code } '{ $c }' 不在任何字体中：先试了版式字体，又试了 fonts/ 和 --font-path 的全部 { $faces } 个字面；它会印成空白
glyphs-replace-character-or-add = 替换该字符，或加入含有它的字体（--font-path）并在 theme.typ 中指定
preflight-image-converted-png-file = { $format } 图片已转换为 PNG（原文件未改动）
preflight-pages-not-multiple = { $pages } 页不是 { $pad_to } 的倍数（publication.toml 中 `[print] pad_to` 的要求）：版式应在版记前补足空白页（见 layout/README.md 的补页一节）
preflight-text-u-control-character-text = 正文中有 U+{ $code }（控制字符）：它会印成空白
preflight-typeset-paragraph-ends-on-page = 第 { $page } 页有一段末行只剩一个字（孤字）：“{ $text }”
preflight-typeset-shorten-or-lengthen-paragraph = 把这段增删几个字，或报告此例：版式本应避免孤字
preflight-typeset-doubled-punctuation = 标点重复「{ $run }」

## 导入（第二批）
import-taken-as-title-new = { $shown }:{ $i }：「{ $line }」被当作 { $title } 中一篇新文章的标题（短行且无标点）
import-article-has-no-text = { $name }：文章「{ $title }」没有正文
docx-comments-not-imported-read = 批注：未导入；请在 Word 中查看
docx-word-element-w-was = Word 元素 <w:{ $other }> 未导入
docx-text-box-was-not = 文本框未导入：「{ $inner }」
docx-embedded-object-ole-was = 嵌入对象（OLE）未导入
docx-note-unreadable = 注释 { $label }：{ $part } 无法读取
docx-linked-picture-not-inside = 链接的图片（{ $target }）不在文件内
docx-picture-windows-format-was = Windows { $ext } 格式的图片（{ $target }）未导入：PDF 排版软件都不读这种格式；请在 Word 中右键点击它 → 另存为图片，存成 PNG，放进 images/，再用 ![图](images/….png) 插入

## 发布记录（第二批）
release-records-another-sha256-yet = 记录的 sha256 不同，但带有此文件的存档 PDF 重新生成后与记录的字节一致：该文件与发布时相同
release-release-toml-damaged-its = release.toml 已损坏：其中 { $path } 的条目{ $why }
release-published-out-not-released = 已发布的 out/{ $file } 不是发布时的{ $made ->
    [pdf] PDF
   *[edition] 版本
  }：记录的 sha256 为 { $recorded }，磁盘上为 { $found }
release-pdf-differs-from-release = { $profile } { $made ->
    [pdf] PDF
   *[edition] 版本
  }（{ $file }）与发布时不同：记录的 sha256 为 { $recorded }，重新生成的为 { $found }
release-release-toml-records-unknown = release.toml 记录了未知的输出类型 `{ $p }`
release-not-recorded-release-again = out/{ $file } 不在发布记录中（是发布之后生成的）：请再运行一次 kanwu release 把它记录下来
release-names-file-which-not = 指定的文件 `{ $file }` 不是文件名
release-published-file = 已发布的 out/{ $file } { $why }
release-published-missing = 不存在
release-published-link = 是符号链接，不是发布时的文件
release-published-not-released = 不是这次发布的文件
release-records-sha256-which-not = 记录的 sha256 `{ $sha }` 不是 sha256
cli-not-page-range-write = `{ $s }` 不是页码范围：请写 3、1-3 或 2-
extract-name-tree-too-deep = 名称树层次太深
frames-note-blurred = 低于 150 ppi 印出来明显模糊
frames-note-300 = 印刷需要 300 ppi
preflight-masthead-or-contents = 报头或目录
preflight-place-on-page = { $place }（第 { $page } 页）
preflight-page-article = 第 { $page } 页，{ $article }
preflight-whole-issue = 全刊

## cli/lang.rs：命令行帮助
help-kanwu = 把 TOML + Markdown 排成可付印的 PDF：中文内部资料（简报、通讯、快报）的排版工具
help-help = 显示本帮助，或某个命令的帮助
help-default = [默认：{ $values }]
help-possible-values = [可选值：{ $values }]
help-usage = 用法：
help-heading-commands = 命令
help-heading-arguments = 参数
help-heading-options = 选项
help-arg-lang = 消息和帮助的语言：zh 或 en（默认：KANWU_LANG，否则按系统语言；系统不是中文时用英文）
help-arg-root = 项目根目录，内有 layout/ 和 fonts/（默认：当前文件夹）
help-arg-font-paths = fonts/ 之外另加的字体文件夹（可重复）。从不使用系统字体
help-arg-issue = 期刊文件夹（或其中的 issue.toml）
help-arg-profile = 输出类型：screen（电子邮件和内网）、print（付印：出血、裁切标记、CMYK）或 archive（带源文件的 PDF/A-3b 存档）
help-build = 把期刊生成 PDF（默认输出：out/<期刊文件夹名>.pdf）
help-build-issues = 期刊文件夹（或其中的 issue.toml；默认：issues/ 下最新的一期）
help-build-all = 并行生成 DIR 下的每一期（默认：根目录下的 issues/）
help-build-profile = 输出类型：screen（电子邮件和内网）、print（付印：出血、裁切标记、CMYK）或 archive（带源文件的 PDF/A-3b 存档）
help-build-output = 输出文件（只用于单独一期）
help-build-emit-typst = 另外把一个自包含的排版项目写到 DIR（main.typ、document.json、版式、图片），`typst compile --font-path fonts DIR/main.typ` 能排出相同的页面
help-build-booklet = 与 --profile print 一起用：另外拼成骑马订小册子 out/<期>.booklet.pdf
help-check = 印前检查一期，不写任何文件：缺字、图片分辨率、超出版心、页数和印张数。有错误时退出码为 1
help-check-format = table（给人看）或 json（给程序用）：{"{"}"issue", "profile", "pages", "blank_pages", "sheets", "binding", "findings": [{"{"}"level", "check", "place", "message"{"}"}]{"}"}
help-extract = 把存档 PDF 中附带的源文件写回：publication.toml 写到 DIR，本期文件写到 DIR/<期>/
help-arg-format = table（给人看）或 json（给程序用）
help-build-format = 与 --all 同用：table（给人看）或 json（给程序用）：{"{"}"built", "failed", "seconds", "issues": [{"{"}"issue", "path", "ok", "pdf", "pages", "bytes", "seconds", "warnings"{"}"}]{"}"}
help-verify-format = table（给人看）或 json（给程序用）：{"{"}"ok", "issues": [{"{"}"issue", "path", "ok", "inputs", "outputs", "changes"{"}"}]{"}"}
help-fonts-format = table（给人看）或 json（给程序用）：{"{"}"layout", "roles": [{"{"}"role", "family", "found"{"}"}], "fonts": [{"{"}"file", "index", "family", "weight", "style", "roles"{"}"}]{"}"}
help-extract-force = 覆盖 DIR 中已有的文件（从不通过符号链接写）
help-extract-pdf = 存档 PDF（用 --profile archive 生成）
help-extract-dir = 写出源文件的文件夹（默认：项目根目录下的 issues/）
help-release = 生成一期的所有输出类型，并把输入和输出的 sha256 记录到 <期>/release.toml
help-verify = 在内存中重新生成各期，与其 release.toml 比对
help-verify-all = 核验 DIR 下的每一期（默认：根目录下的 issues/）
help-catalog = 为 DIR 下的所有期刊写出 out/catalog.json 和 out/catalog.pdf（年度总目录）
help-catalog-dir = 期刊总文件夹（默认：根目录下的 issues/）
help-init = 从零新建刊物：从 kanwu 安装处复制 layout/ 和 fonts/，写出 issues/publication.toml（用 --name 等给出，或写成带注释的默认值待改）和能直接生成的第一期
help-init-dir = 新刊物的文件夹（默认：当前文件夹）；不存在时新建
help-init-name = 刊名（默认：在 publication.toml 中留一个占位待改）
help-init-publisher = 编印单位（默认：留一个占位待改）
help-init-marking = 报头上的标注（默认：内部资料 注意保存）
help-init-layout = 版式，layout/ 下的一个文件夹（默认：`express`）
help-init-paper = a4 | b5 | 16k | 210x285mm（默认：a4）
help-init-date = 第一期的日期（默认：今天）
help-init-number = 第一期的期号 第N期（默认：1）
help-init-serial = 第一期的总期号 总第N期（可不填）
help-init-from = 从 DIR 复制 layout/ 和 fonts/（默认：kanwu 自己的安装处）
help-new = 开始下一期：在最新一期（或 --from 指定的一期）之后新建文件夹，期号和总期号加 1，沿用各栏目，每栏一篇文章占位
help-new-dir = 新一期的文件夹（默认：根目录下的 issues/YYYY-NN）
help-new-from = 接续的那一期（默认：新文件夹旁边最新的一期）
help-new-date = 新一期的日期（默认：今天）
help-watch = 生成一期，然后在清单、文章、图片、publication.toml、版式文件或字体改动时重新生成。生成失败时保留上次的 PDF
help-watch-output = 输出文件（默认 out/<期>.pdf）
help-serve = 编辑台：在浏览器中编辑一期（http://127.0.0.1:3000/），页面随输入即时更新：文章、栏目、本期信息和版记，每次修改都写入文件，并保留此前的每个版本
help-serve-issue = 期刊文件夹（默认：issues/ 下最新的一期）
help-serve-port = 监听的端口（0：任意空闲端口）
help-serve-open = 用默认浏览器打开本期
help-serve-bind = 改为监听这个地址而不是 127.0.0.1（例如 0.0.0.0 让别的机器也能看；会有警告）
help-serve-allow-open = 显示一个按钮，用系统默认程序打开文章文件
help-serve-read-only = 只显示页面和检查结果（只读查看）：不能编辑
help-preview = 把一期的页面渲染成 PNG（默认：每页 96 ppi，写到 out/<期>/）
help-preview-pages = 页码：3、1-3 或 2-（到末页）
help-preview-ppi = 每英寸像素数
help-stats = 统计一期：每篇文章的汉字、字符、段落、图片数和起始页
help-stats-format = table（给人看）或 json（给程序用）：{"{"}"issue", "pages", "sections": [{"{"}"kind", "title", "page", "articles": [{"{"}"file", "title", "page", 各项计数…{"}"}], "total"{"}"}], "total"{"}"}
help-import = 把纯文本期刊（.txt：UTF-8、UTF-16 或 GBK；栏目以 ● 开头）导入为新的期刊文件夹（Markdown 文章），或把一篇 Word 文章（.docx）导入到期刊文件夹。从不改动源文件
help-import-source = 纯文本期刊（.txt）或 Word 文章（.docx）
help-import-output = 文本：新期刊文件夹（默认：根目录下的 issues/YYYY-NN），从不覆盖。Word：放文章的期刊文件夹（默认：issues/ 下最新的一期）
help-import-date = 仅文本：本期日期（默认：今天）
help-import-number = 仅文本：第N期（默认：同一年最新一期加 1，否则为 1）
help-import-serial = 仅文本：总第N期（默认：最新一期加 1，如有）
help-import-root = 项目根目录，内有 issues/（默认：当前文件夹）
help-export = 从同一文档写出本期的其他版本：自包含的网页（html）、文档文件（docx）或手机图片（images），默认 out/<期>.<扩展名>
help-export-issues = 期刊文件夹（或其中的 issue.toml）
help-export-all = 导出 DIR 下的每一期（默认：根目录下的 issues/）
help-export-article = 只导出这篇文章（issue.toml 中的文件名，例如 ai-patents.md）
help-export-output = 要写出的文件（只用于单独一期）
help-export-out-dir = 写入的文件夹（默认：根目录下的 out/）
help-fonts = 列出 kanwu 用的字体及版式给它们的角色
help-fonts-verify = 按 fonts/fonts.lock 核对每个锁定字体文件的 sha256
help-fonts-lock = 按 fonts/ 中的文件重写 fonts/fonts.lock（只在有意时用）
help-build-examples = 示例：
      kanwu build issues/2021-01                  # → out/2021-01.pdf
      kanwu build issues/2021-01 -o 简报.pdf
      kanwu build --all --profile print --booklet
help-check-examples = 示例：
      kanwu check issues/2021-01
      kanwu check issues/2021-01 --profile screen --format json
help-extract-examples = 示例：
      kanwu extract out/2021-01.archive.pdf 恢复
help-release-examples = 示例：
      kanwu release issues/2021-01                # → issues/2021-01/release.toml
help-verify-examples = 示例：
      kanwu verify issues/2021-01
      kanwu verify --all
help-catalog-examples = 示例：
      kanwu catalog                               # → out/catalog.json、out/catalog.pdf
help-init-examples = 示例：
      kanwu init 快递 --name 许昌竞争情报快递 --publisher 许昌市科学技术情报研究所
      kanwu init . --from D:\kanwu
help-new-examples = 示例：
      kanwu new                                   # 最新一期的下一期
      kanwu new issues/special --from issues/2021-01 --date 2021-02-20
help-watch-examples = 示例：
      kanwu watch issues/2021-01                  # 按 `Ctrl-C` 停止
help-serve-examples = 示例：
      kanwu serve                                 # 最新一期，http://127.0.0.1:3000/
      kanwu serve issues/2021-01 --port 8080 --open
help-preview-examples = 示例：
      kanwu preview issues/2021-01 --pages 1-3 --ppi 150
help-stats-examples = 示例：
      kanwu stats issues/2021-01
      kanwu stats issues/2021-01 --format json
help-import-examples = 示例：
      kanwu import 2021年第3期.txt                # → issues/2021-03，期号接续最新一期
      kanwu import seed.txt issues/2021-03 --date 2021-03-20 --number 3 --serial 27
      kanwu import 文章.docx issues/2021-03        # → issues/2021-03/文章.md + images/
help-export-examples = 示例：
      kanwu export issues/2021-01 --to html       # → out/2021-01.html
      kanwu export --all --to docx --out-dir 版本
help-fonts-examples = 示例：
      kanwu fonts
      kanwu fonts --verify
help-flag-help = 显示帮助
help-flag-version = 显示版本
help-export-to = 版本类型：html（每期一个自包含的网页）、docx（文档文件：整期，或用 --article 指定一篇）或 images（手机图片：每篇一张，写到 out/<期>.phone/）

## 第二批：命令行的进度信息
cli-editor-step-articles = 撰写文章（每个占位里都有一段待替换的说明）：{ $stubs }
cli-editor-step-sections = 在 { $manifest } 中增删文章和栏目
cli-init-the-first-issue = （第一期）
cli-init-step-publication = 在 { $publication } 中填写刊名和编印单位（以及版记）
cli-init-step-articles = 撰写第一期的文章（每个占位里都有一段待替换的说明）：{ $stubs }
cli-init-each-month = 以后每期：kanwu new
cli-serve-serving = 正在提供 { $url }（按 `Ctrl-C` 停止）
cli-serve-none = 无
cli-serve-built = 已生成 { $pages } 页，用时 { $ms } 毫秒；重新发送的页：{ $sent }
cli-serve-failed = 生成失败：浏览器在上次成功的页面上显示错误
preflight-no-problems = 没有发现问题
preflight-no-findings-but-warnings = 除上面的 { $n } 条警告外，别无问题
preflight-check-glyph = 缺字
preflight-check-text = 控制字符
preflight-check-manifest = 清单
preflight-check-placeholder = 占位文字
preflight-check-image = 图片
preflight-check-overflow = 超出版心
preflight-check-runt = 孤字
preflight-check-punctuation = 标点
preflight-check-pages = 页数
stats-footnote = （只计正文：标题和注释不计；汉字 = 中日韩表意文字，字符 = 所有非空白字符）

## 第三批
release-kind = { $kind ->
        [layout] 版式文件
        [publication] 文件
        [manifest] 文件
        [article] 文章
        [image] 图片
        [font] 字体
       *[other] { $kind }
    }
import-notepad-s-unicode-read = { $shown } 是 { $name }（记事本的“Unicode”）：已按此读取并转换（原文件未改动）
import-not-utf-8-read = { $shown } 不是 UTF-8：已按 GBK/GB18030 读取并转换（原文件未改动）
release-changed-since-release-sha256 = { $kind } { $path } 在发布后改动了（sha256 { $was } → { $is }）
release-was-input-release-and = { $kind } { $path } 是发布时的输入，现在已不再使用
release-new-since-release = { $kind } { $path } 是发布后新加的
release-read-by-build-but = { $kind } { $path } 被生成读取，但没有记录在发布记录中
world-package-not-available-kanwu = 包 { $spec } 不可用：kanwu 不下载包；请把包的文件复制到 layout/ 下（例如 layout/_lib/），按那里的路径导入
world-link-outside-build-reads = { $path } 是指向 { $real } 的链接，在 { $root } 之外：生成只读取其所在（解析后的）文件夹内的文件
world-outside-kanwu-s-sandbox = `{ $vpath }` 在 kanwu 的沙箱之外；版式只能读取 { $allowed }
layout-layout-issue-typ-must = layout/{ $layout }/issue.typ 必须定义 `issue(doc)`
layout-layout-catalog-typ-must = layout/{ $layout }/catalog.typ 必须定义 `catalog(cat)`
layout-layout-theme-typ-must = layout/{ $layout }/theme.typ 必须定义 `fonts` 字典
image-file-damaged = 文件已损坏（原文：`{ $e }`）
image-cannot-convert-this-image = 无法把这张 { $format } 图片转换为 PNG（原文：`{ $e }`）
help-preview-output = 存放 PNG 的文件夹（默认 out/<期>/）。-o DIR 仍可用（已不推荐：其他命令中 -o 都指一个文件）
help-new-root = 项目根目录，内有 issues/（默认：当前文件夹）
help-completions = 把命令行补全脚本（bash、zsh、fish、powershell、elvish）写到标准输出
help-completions-shell = 终端类型：bash、zsh、fish、powershell 或 elvish
help-completions-examples = 示例：
      kanwu completions bash > ~/.local/share/bash-completion/completions/kanwu
      kanwu completions powershell >> $PROFILE
cli-catalog-placeholders = 没有写出总目录：还有 { $n } 处是 `kanwu new` 或 `kanwu init` 写入的占位文字；请先替换（kanwu check 也会列出）
cli-catalog-without = 总目录已写出，但没有收入 { $n } 期生成失败的刊物（{ $failed }）；请改正后重新运行 kanwu catalog

## 印前检查表（kanwu check、build --profile print）
preflight-table-head = 印前检查 { $issue }（{ $profile }）：{ $pages } 页{ $blank ->
        [0] {""}
       *[other] （其中空白 { $blank } 页）
    }，{ $sheets } 张纸（{ $binding }）
preflight-binding-saddle = 骑马订：每张纸 4 页
preflight-binding-both-sides = 双面印刷，侧订
preflight-binding-one-side = 单面印刷
ticket-header = 印刷单：kanwu 写在印刷版 PDF 旁，说明这批活件，供报价和核对
ticket-colour-black = 四色印刷：文字只用 100% 黑（K），灰色为黑的网点
ticket-colour-process = 四色混合色 青/品红/黄/黑 = { $cmyk }
ticket-colour-spot = 专色 { $name }（无专色时按四色 { $cmyk }）
ticket-colour-other = 非四色的颜色 { $hex }（由输出设备转换）
ticket-colour-registration = 裁切标记和页边说明用套准色（所有色版）
ticket-colour-images = { $images } 张彩色图片，由输出设备转换
profile-label = { $profile ->
        [screen] 屏幕版
        [print] 印刷版
        [archive] 存档版
        [phone] 手机版
        [booklet] 拼版小册子
       *[other] { $profile }
    }
edition-label = { $format ->
        [html] 网页版
        [docx] 文档版
        [images] 手机图片
       *[other] { $format }
    }
preflight-col-level = 级别
preflight-col-check = 检查项
preflight-col-where = 位置
preflight-col-what = 问题
preflight-level-error = 错误
preflight-level-warning = 警告
preflight-level-info = 提示

## stats 统计表
stats-col-page = 页
stats-col-hanzi = 汉字
stats-col-chars = 字符
stats-col-paras = 段落
stats-col-headings = 标题
stats-col-images = 图片
stats-col-article = 文章
stats-section-total = { $section } 合计
stats-issue-total = { $issue } 全期合计，共 { $pages } 页

## build --all 的表格
cli-build-bar = { $name } { $what ->
        [built] 完成
       *[other] 失败
    }
cli-build-format-json-needs-all = --format json 须与 --all 同用（输出各期的汇总表）；单独生成一期不输出报告
cli-build-col-issue = 期
cli-build-col-pages = 页数
cli-build-col-size = 大小
cli-build-col-time = 用时
cli-build-col-warnings = 警告
cli-build-failed-cell = 失败

## 最后几处片段
preflight-text-more-lines = （此文件还有 { $n } 行也有）
release-record-a-newer-kanwu = 较新的 kanwu
docx-no-document-xml = 其中没有 word/document.xml
docx-no-body = word/document.xml 中没有正文

# 第三轮合并时加入：手机版与字体文件规则。
cli-export-o-names-one-image = -o 只指定一张图片：请与 --article 一起使用，整期的图片请用 --out-dir DIR
export-phone-images-set-by-layout = 手机图片由版式排出：请用 `kanwu export --to images` 导出
images-text-cut-off = 手机图片 { $image } 截掉了文字：「{ $run }…」超出边缘 { $mm } 毫米
images-text-cut-off-hint = 没有断行位置的长串（不含空格的长数字、代码或外文词）比手机屏幕还宽；请在 { $file } 中给它加上空格或缩短它
release-edition-file-not-in-out = 指定的文件 `{ $file }` 不是 out/ 中的文件
fonts-file-outside-its-folder = 字体文件 { $path } 指向 { $real }，在 { $folder } 之外：生成时只使用位于其所在字体文件夹之内的字体
fonts-file-outside-its-folder-hint = 请把字体文件本身复制到 { $folder }，不要放链接；或用 --font-path 指定它所在的文件夹
layout-phone-article-page = 文章 { $file } 从第 { $page } 页开始，手机版应从第 { $want } 页开始
layout-phone-page-count = 排出 { $pages } 页，手机版应为 { $want } 页：封面，然后每篇文章一页
layout-phone-page-width = 第 { $page } 页宽 { $width } 毫米，手机版应为 { $want } 毫米
layout-phone-not-honoured = 版式 `{ $layout }` 没有按手机版输出：{ $what }
layout-phone-see-readme = 见 layout/README.md「Honouring doc.output」：手机版第 1 页为封面，其后每篇文章单独一页，宽 `page_width_mm`，高度随文章

# `kanwu serve` 的浏览页面（src/editor/serve/ui.rs；占位由 app.js 填入）。
desk-no-such-article = 本期没有这篇文章（页面可能已过时，请刷新）
desk-edited-in-another-window = 这篇文章正在另一个窗口中编辑
desk-cannot-read-article = 无法读取 { $file }：{ $e }。请确认文件存在、是 UTF-8 文本，再重新打开。
desk-front-matter-does-not-parse = 文章开头的信息（+++ 之间）写得不对：{ $e }。请先在正文编辑区改正它，表单才能修改。
desk-changed-on-disk = 文件在磁盘上被别的程序修改了，而这里有未保存的修改：两份都保留着，请选择保留哪一份
desk-no-such-version = 没有这个历史版本
desk-cannot-write = 无法保存：{ $e }
desk-saved-on-stop = 已保存 { $file }
desk-kept-on-stop = { $file } 在磁盘上已被修改，未保存的内容没有覆盖它，已存入历史版本（.kanwu/history）
desk-manifest-does-not-parse = 这个 TOML 文件写得不对：{ $e }。请先在文本编辑器中改正它。
desk-no-such-section = 本期没有这个栏目（页面可能已过时，请刷新）
desk-article-not-in-issue = 这篇文章不在本期中
desk-article-already-in-issue = 这篇文章已经在本期中
desk-section-needs-title = 请给这个栏目起一个名称（只有编者的话、行业动态、行业趋势、行业报告可以不写）
desk-field-needs-a-number = 请填写一个整数
desk-field-needs-a-date = “{ $value }”不是日期：请写成 2021-01-20 这样的年-月-日
desk-no-such-field = 没有这一项
desk-no-such-layout = 没有名为 { $layout } 的版式（layout/{ $layout }/issue.typ 不存在）
desk-opener-failed = 系统没能打开这个文件（{ $e }）：请给 .md 文件指定一个默认打开程序（例如记事本），或在编辑台里直接编辑
desk-read-only = 编辑台以只读方式启动（--read-only），不能修改
desk-no-window = 请求没有说明来自哪个窗口，请刷新页面
desk-bad-request = 编辑台看不懂这个请求（{ $e }），请刷新页面
serve-ui-zoom-out = 缩小
serve-ui-zoom-in = 放大
serve-ui-fit = 适合宽度
serve-ui-fit-title = 按窗口宽度显示页面
serve-ui-spreads = 跨页
serve-ui-trim = 裁切与出血
serve-ui-trim-title = 印刷的裁切线（成品尺寸）及其外的出血
serve-ui-trim-detail = 裁切 { $paper }（{ $w } × { $h } 毫米），出血 { $bleed } 毫米
serve-ui-connecting = 正在连接…
serve-ui-contents = 目录
serve-ui-preflight = 印前检查
serve-ui-failed-title = 最近一次保存无法生成——下面是上一次成功生成的页面
serve-ui-page-alt = 第 { $n } 页
serve-ui-one-page = 1 页
serve-ui-n-pages = { $n } 页
serve-ui-total = 共 { $pages } 页 · { $hanzi } 汉字
serve-ui-over = 超出 { $n } 页
serve-ui-on-budget = 正好用完
serve-ui-spare = 尚余 { $n } 页
serve-ui-budget = 页数预算 { $n }：
serve-ui-print-blank = 印刷：{ $pages } 页（为凑足印张补 { $blank } 页）
serve-ui-page-short = 第 { $n } 页
serve-ui-no-problems = 未发现问题
serve-ui-live = 实时 · 生成用时 { $ms } 毫秒 · 第 { $v } 次生成
serve-ui-not-building = 最近一次保存无法生成
serve-ui-hint = 提示：{ $text }
serve-ui-error = 错误
serve-ui-warning = 警告
serve-ui-line = { $file }，第 { $line } 行
serve-ui-open = 打开
serve-ui-open-title = 用默认程序打开 { $file }
serve-ui-cannot-open = 无法打开文件：{ $why }
serve-ui-unreachable = 无法连接 kanwu serve
serve-ui-still = 静态视图（live=0）· 第 { $v } 次生成
serve-ui-retrying = kanwu serve 没有响应，正在重试…
serve-ui-info = 说明
serve-ui-check-image = 图片
serve-ui-check-overflow = 超出版心
serve-ui-check-glyph = 缺字
serve-ui-check-pages = 页数
serve-ui-check-text = 文字
serve-ui-check-manifest = 目录文件
serve-ui-check-runt = 孤字
serve-ui-check-punctuation = 标点
serve-ui-state-saved = 已保存
serve-ui-state-unsaved = 未保存
serve-ui-state-saving = 正在保存…
serve-ui-state-conflict = 文件已在别处修改
serve-ui-state-read-only = 只读
serve-ui-front-error = 文章开头的信息（+++ 之间）写得不对，表单无法显示：{ $e }。请在正文上方改正，或撤销刚才的修改。
serve-ui-tool-emphasis-short = 楷
serve-ui-tool-list-short = 列表
serve-ui-tool-numbered-short = 编号
serve-ui-tool-quote-short = 引用
serve-ui-tool-footnote-short = 脚注
serve-ui-tool-table-short = 表格
serve-ui-tool-image-short = 图片
serve-ui-tool-link-short = 链接
serve-ui-tool-bold = 加粗（Ctrl+B）
serve-ui-tool-emphasis = 强调，排为楷体（Ctrl+I）
serve-ui-tool-h2 = 小标题（一级：一、）
serve-ui-tool-h3 = 小标题（二级：（一））
serve-ui-tool-h4 = 小标题（三级：1.）
serve-ui-tool-list = 列表
serve-ui-tool-numbered = 编号列表
serve-ui-tool-quote = 引用
serve-ui-tool-footnote = 脚注
serve-ui-tool-table = 表格
serve-ui-tool-image = 图片（把图片放进本期的 images 文件夹）
serve-ui-tool-link = 链接
serve-ui-table-item = 项目
serve-ui-table-value = 数值
serve-ui-image-caption = 图1 图片说明
serve-ui-find = 查找
serve-ui-find-title = 查找和替换（Ctrl+F）
serve-ui-undo = 撤销
serve-ui-redo = 重做
serve-ui-link-text = 链接文字
serve-ui-conflict-title = 这篇文章在别处被修改了
serve-ui-conflict-explain = { $file } 在磁盘上被另一个程序改过，而这里还有未保存的修改。两份都在下面，选一份保留；另一份会存入历史版本，不会丢失。
serve-ui-conflict-mine = 我的修改（未保存）
serve-ui-conflict-theirs = 磁盘上的版本
serve-ui-keep-mine = 保留我的修改
serve-ui-take-theirs = 采用磁盘上的版本
serve-ui-history = 历史版本
serve-ui-history-title = 历史版本：选一个版本查看，可以恢复
serve-ui-restore = 恢复这个版本
serve-ui-restored = 已恢复（被替换的内容也存入了历史版本）
serve-ui-why-saved = 保存前的版本
serve-ui-why-restored = 恢复前的版本
serve-ui-why-unsaved = 未保存的修改
serve-ui-no-versions = 还没有历史版本
serve-ui-close = 关闭
serve-ui-move-up = 上移
serve-ui-move-down = 下移
serve-ui-rename-section = 栏目名称
serve-ui-new-article = 新建文章
serve-ui-new-article-title = 新文章的标题
serve-ui-remove-section = 移除栏目（文章文件保留）
serve-ui-remove-article = 移出本期（文件保留，可放回）
serve-ui-confirm-remove-section = 把栏目“{ $title }”移出本期？其中文章的文件会保留。
serve-ui-confirm-remove-article = 把“{ $title }”移出本期？文件会保留，列在“不在本期的文章”中。
serve-ui-other-kind = 其他栏目
serve-ui-section-title = 栏目名称
serve-ui-add-section = 添加栏目
serve-ui-not-in-issue = 不在本期的文章
serve-ui-put-back = 放回
serve-ui-tab-issue = 本期
serve-ui-tab-checks = 检查
serve-ui-tab-forms = 刊物与版记
serve-ui-locked = 这篇文章正在另一个窗口中编辑，这里只读。那边关闭或停止编辑后，这里即可编辑。
serve-ui-field-title = 标题
serve-ui-field-subtitle = 副标题
serve-ui-field-source = 来源
serve-ui-field-author = 作者
serve-ui-issue-fields = 本期
serve-ui-publication-fields = 刊物
serve-ui-colophon-fields = 版记
serve-ui-field-date = 日期
serve-ui-field-year = 年份
serve-ui-field-number = 期号
serve-ui-field-serial = 总期号
serve-ui-field-copies = 印数
serve-ui-field-name = 刊名
serve-ui-field-publisher = 编印单位
serve-ui-field-marking = 标注（如“内部资料 注意保存”）
serve-ui-field-classification = 密级
serve-ui-field-permit = 准印证号
serve-ui-field-printer = 印刷单位
serve-ui-field-layout = 版式
serve-ui-field-paper = 纸张
serve-ui-field-page-budget = 计划页数
serve-ui-field-editor-in-chief = 主编
serve-ui-field-editors = 责任编辑（每行一位）
serve-ui-field-address = 地址
serve-ui-field-phone = 电话
serve-ui-field-email = 电子邮箱
serve-ui-field-send-to = 报送（每行一项）
serve-ui-field-copy-to = 抄送（每行一项）
serve-ui-field-distribute-to = 发送（每行一项）

# TOML 读取器的报错，换成编辑读得懂的话（src/model/toml_message.rs）。
toml-unknown-field = 不认识的键 `{ $field }`
toml-did-you-mean = 是不是要写 `{ $name }`？
toml-allowed-here = 这里可以写的键：{ $list }
toml-unknown-value = 不认识的值 `{ $value }`
toml-values-allowed = 这里可以写的值：{ $list }
toml-missing-field = 缺少键 `{ $field }`
toml-missing-field-hint = 请在这一节里加一行 `{ $field } = …`
toml-duplicate-field = 键 `{ $field }` 写了两次
toml-duplicate-key = 同一个键写了两次
toml-keep-one = 请只保留其中一行
toml-wrong-type = 类型不对：这里应写{ $expected }，而不是{ $found }
toml-wrong-value = 值不对：这里应写{ $expected }，而不是{ $found }
toml-syntax = TOML 格式错误：{ $raw }
toml-syntax-may-only-go-between-digits = `_` 只能写在两个数字之间
toml-syntax-cannot-recurse-further-max-recursion-depth-met = 嵌套太深：数组或表的层次超过上限
toml-syntax-carriage-return-must-be-followed-by-newline = 回车符后面必须跟换行符
toml-syntax-extra = 多了一个 `=`
toml-syntax-extra-assignment-between-key-value-pairs = 两个键值对之间多了一个赋值
toml-syntax-extra-comma-in-array = 数组中多了一个逗号
toml-syntax-extra-comma-in-inline-table = 内联表中多了一个逗号
toml-syntax-integers-with-a-radix-cannot-be-signed = 带进制前缀的整数不能带正负号
toml-syntax-invalid-comment-character = 注释中有不允许的字符
toml-syntax-invalid-inline-table-element = 内联表中有无效的元素
toml-syntax-invalid-key-value-pair = 无效的键值对
toml-syntax-invalid-unquoted-key = 无效的键：键名含有需要加引号的字符
toml-syntax-invalid-value = 无效的值
toml-syntax-key-with-no-value = 键没有值
toml-syntax-keys-cannot-be-multi-line-basic-strings = 键不能是多行字符串
toml-syntax-keys-cannot-be-multi-line-literal-strings = 键不能是多行字面字符串
toml-syntax-missing-array-opening = 缺少数组的开头 `[`
toml-syntax-missing-assignment-between-key-value-pairs = 键和值之间缺少 `=`
toml-syntax-missing-comma-between-array-elements = 数组的元素之间缺少逗号
toml-syntax-missing-comma-between-key-value-pairs = 键值对之间缺少逗号
toml-syntax-missing-comment-start = 缺少注释的开头 `#`
toml-syntax-missing-escaped-value = 转义符 `\` 后面缺少内容
toml-syntax-missing-inline-table-opening = 缺少内联表的开头 `{"{"}`
toml-syntax-missing-key-for-inline-table-element = 内联表的元素缺少键
toml-syntax-missing-opening-quote = 缺少开头的引号
toml-syntax-missing-table-open = 缺少表头的开头 `[`
toml-syntax-missing-value = 缺少值
toml-syntax-missing-value-for-key = 键缺少值
toml-syntax-radix-must-be-lowercase = 进制前缀必须小写
toml-syntax-redundant-integer-number-prefix = 整数前缀重复
toml-syntax-redundant-numeric-sign = 正负号重复
toml-syntax-string-values-must-be-quoted = 文字值必须加引号
toml-syntax-too-few-unicode-value-digits = 统一码转义的位数不够
toml-syntax-unclosed-array = 数组没有结束的 `]`
toml-syntax-unclosed-array-table = 数组表头没有结束的 `]]`
toml-syntax-unclosed-inline-table = 内联表没有结束的 `{"}"}`
toml-syntax-unclosed-table = 表头没有结束的 `]`
toml-syntax-unexpected-in-array = 数组中不应有 `=`
toml-syntax-unexpected-content = 这里不应有内容
toml-syntax-unexpected-content-between-comment-and-newline = 注释和换行之间有多余的内容
toml-syntax-unexpected-key-or-value = 这里不应有键或值
toml-syntax-unexpected-leading-zero = 数字不能以 0 开头
toml-syntax-unexpected-sign = 这里不应有正负号
toml-syntax-unquoted-keys-cannot-be-empty = 不加引号的键不能为空
toml-expected-basic-string = 带引号的文字
toml-expected-characters = 字符
toml-expected-digits = 数字
toml-expected-key = 键
toml-expected-letters = 字母
toml-expected-literal-string = 单引号文字
toml-expected-multi-line-basic-string = 多行文字
toml-expected-non-double-quote-visible-characters = 双引号以外的可见字符
toml-expected-non-single-quote-characters = 单引号以外的字符
toml-expected-non-single-quote-visible-characters = 单引号以外的可见字符
toml-expected-numbers = 数字
toml-expected-printable-characters = 可打印字符
toml-expected-unicode-hexadecimal-value = 十六进制统一码
toml-expected-value = 值
toml-expected-nothing = 没有内容
toml-expected-etc = 其他
toml-syntax-expected = ：此处应为 { $list }
toml-or = 或
toml-found-text = 文字 { $value }
toml-found-number = 数字 { $value }
toml-found-boolean = { $value }
toml-found-list = 列表 [ … ]
toml-found-table = 表
toml-want-integer = 整数（不加引号）
toml-want-number = 数字（不加引号）
toml-want-text = 加引号的文字
toml-want-boolean = true 或 false
toml-want-list = 列表 [ … ]
toml-want-date = 不加引号的日期，例如 2021-01-20
toml-no-such-day = 日历上没有这一天：请核对月和日（日期写作 年-月-日，例如 2021-02-28）
preflight-typeset-closing-quote-twice = 后引号写了两次：请删去一个
preflight-typeset-opening-quote-twice = 前引号写了两次：请删去一个

## cli/parse_error.rs: clap's own errors (the command line as typed)
clap-unknown-argument = 无法识别的参数 '{ $arg }'
clap-unknown-command = 没有 '{ $command }' 这个命令
clap-missing-value = 参数 '{ $arg }' 需要一个值，但没有给出
clap-invalid-value = 参数 '{ $arg }' 的值 '{ $value }' 无效
clap-invalid-value-because = 参数 '{ $arg }' 的值 '{ $value }' 无效：{ $reason }
clap-missing-arguments = 缺少必需的参数：{ $args }
clap-conflict = 参数 '{ $arg }' 不能与 '{ $other }' 同时使用
clap-repeated = 参数 '{ $arg }' 只能使用一次
clap-unexpected-value = 参数 '{ $arg }' 多出了值 '{ $value }'，它不再接受更多的值
clap-missing-command = 请指定一个命令
clap-other = 命令行有误：{ $detail }
clap-possible-values = [可选值：{ $values }]
clap-did-you-mean = 提示：您是否想用 '{ $suggested }'？
clap-more-help = 更多信息请运行 '--help'。
