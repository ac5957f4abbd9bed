# kanwu's messages in English. Every id here is also in zh-CN.ftl, with the same arguments
# (tested). Ids are grouped by the file that uses them.

## diag.rs: the frame of every diagnostic
diag-error = error
diag-warning = warning
diag-hint = hint: { $text }
diag-in-file = in { $path }

## src/model/paths.rs
paths-no-issue-at = no issue at { $shown }
paths-not-a-regular-file = { $shown } is not a regular file (a named pipe, socket or device); kanwu reads only ordinary files
paths-not-a-regular-file-hint = replace it with the file itself (a text file saved by an editor)
paths-cannot-open-issue-folder = cannot open the issue folder: { $e }
paths-cannot-open-folder-holding = cannot open the folder holding the issue folder { $named }: { $e }
paths-cannot-open = cannot open { $shown }: { $e }
paths-leads-outside = { $shown } leads to { $real }, outside { $inside }: { $rule }
paths-path-leaves-issue-folder = { $what } path `{ $rel }` leaves the issue folder ({ $why })
paths-empty-path = empty { $what } path
paths-file-does-not-exist = { $what } file `{ $rel }` does not exist
paths-cannot-open-2 = cannot open { $what } `{ $rel }`: { $e }
paths-not-file = { $what } `{ $rel }` is not a file
paths-name-issue-folder-holding = name an issue folder (holding issue.toml) or its issue.toml, e.g. `kanwu build issues/2021-01`
paths-copy-file-or-folder = copy the file (or folder) there instead of linking to it; kanwu reads nothing from outside the folder of issues
paths-keep-every-inside-issue = keep every { $what } inside the issue folder and name it relative to it, e.g. `images/figure1.png`
paths-create-or-correct-name = create { $joined } or correct the name

## src/cli/mod.rs
cli-not-kanwu-project-has = { $shown } is not a kanwu project: it has no layout/, fonts/ or issues/ folder
cli-current-folder-not-kanwu-project = the current folder is not a kanwu project: it has no layout/, fonts/ or issues/ folder
cli-msg = { $what }: { $failed }{ $tail }
cli-could-not-be-replaced = { $wanted } could not be replaced (is it open in a PDF viewer?); wrote { $written } beside it instead
cli-run-kanwu-init-start = run `kanwu init` to start a publication here, or pass --root DIR (the folder holding layout/, fonts/ and issues/)
cli-close-pdf-and-build = close the PDF and build again to write it under its own name
cli-error = error: { $message }
cli-error-cannot-write-output = error: cannot write the output: { $e }

## src/cli/build.rs
cli-build-preflight-found-error-s = preflight found { $report } error(s)
cli-build-issues-failed-no-pdf = { $failed } of { $items } issues failed: { $failed2 }; no PDF was written for them
cli-build-built-pages-kb-s = built { $pdf } ({ $pages } pages, { $bytes } KB) in { $start } s
cli-build-wrote = wrote { $extra }
cli-build-issues-built-s = { $result } of { $items } issues built to { $out } in { $start } s
cli-build-wrote-typst-project = wrote Typst project { $dir }
cli-build-s = [{ $n }/{ $total }] { $name } { $what } in { $elapsed } s
cli-build-o-output-and-emit = -o/--output and --emit-typst take a single ISSUE
cli-build-notice-latest-issue = notice: no issue folder named: building the latest issue, { $dir }
cli-build-booklet-goes-with-profile = --booklet goes with --profile print

## src/cli/editor.rs
cli-editor-created-dated-after = created { $shown } — { $year }年第{ $number }期{ $s }, dated { $date } (after { $from })
cli-editor-next = next:
cli-editor-imported-sections-articles-into = imported { $sections } sections, { $articles } articles into { $shown }
cli-editor-next-check-titles-and = next: check the titles and headings, then `kanwu build { $shown }`
cli-editor-wrote = wrote { $path }
cli-editor-not-imported-check-these = not imported (check these by hand):
cli-editor-next-check-then-add = next: check { $markdown }, then add "{ $name }" to a section of issue.toml
cli-editor-pages-ms = { $rebuilt } { $pdf } ({ $pages } pages) in { $elapsed } ms
cli-editor-failed-kept-last-good = failed: kept the last good { $kept }; watching
cli-editor-watching-for-changes-ctrl = watching { $watching } for changes; 按 Ctrl-C 停止 (Ctrl-C stops)
cli-editor-notice = notice: { $n }
cli-editor-notice-no-issue-folder = notice: no issue folder named: importing into the latest issue, { $dir }
cli-editor-issue-folder-gone-kept = the issue folder { $folder } is gone: kept the last good { $kept }; waiting for it to come back
cli-editor-issue-folder-back-watching = the issue folder { $folder } is back: watching it again
cli-editor-date-not-date-write = --date { $d } is not a date; write YYYY-MM-DD, e.g. 2021-02-20
cli-editor-date-number-and-serial = --date, --number and --serial are for a text issue; a .docx article goes into an existing issue folder: `kanwu import article.docx issues/2021-03`

## src/cli/archive.rs
cli-archive-extracted-files-into = extracted { $files } files into { $dir }
cli-archive-wrote-inputs-outputs = wrote { $path } ({ $inputs } inputs, { $outputs } outputs)
cli-archive-ok-inputs-as-recorded = ok       { $issue } ({ $inputs } inputs; { $outputs } as recorded)
cli-archive-wrote-issues-and-pages = wrote { $json } ({ $issues } issues) and { $pdf } ({ $pages } pages)

## src/cli/export.rs
cli-export-wrote-ms = wrote { $path } ({ $bytes } in { $started } ms)
cli-export-wrote = wrote { $path } ({ $bytes })
cli-export-files-ms = { $files } files in { $started } ms
cli-export-bytes = { $bytes } bytes
cli-export-kb = { $kb } KB
cli-export-o-names-one-file = -o names one file: use it with a single issue, or use --out-dir DIR
cli-export-article-names-article-one = --article names an article of one issue: give a single issue

## src/cli/fonts.rs
cli-fonts-wrote-fonts-fonts-lock = wrote fonts/fonts.lock ({ $fonts } files)
cli-fonts-all-locked-fonts-match = all locked fonts match fonts/fonts.lock
cli-fonts-layout-theme-typ-names = layout/{ $layout }/theme.typ names: { $roles }
cli-fonts-missing-role-names-which = missing: role `{ $role }` names "{ $family }", which no font provides

## src/cli/init.rs
cli-init-started-publication-layout-and = started a publication in { $dir } (layout/ and fonts/ copied from { $from })
cli-init-next = next:
cli-init-number-counts-from-1 = --number counts from 1
cli-init-layout-there-no-layout = --layout { $layout }: there is no layout/{ $layout } in { $from }

## src/cli/serve.rs
cli-serve-warning-listening-on-anyone = warning: listening on { $ip }: anyone who can reach this machine on port { $port } can read the issue (the default, 127.0.0.1, is this machine only)
cli-serve-notice-cannot-open-browser = notice: cannot open a browser ({ $e }); open { $url } yourself

## src/model/manifest.rs
manifest-mb-kanwu-reads-text = { $shown } is { $size } MB; kanwu reads text files of up to { $max } MB
manifest-cannot-read = cannot read { $shown }: { $e }
manifest-not-utf-8-text = { $shown } is not UTF-8 text (first bad byte on line { $line })
manifest-manifest-as-upgraded-from = { $e } (in the manifest as upgraded from schema { $schema })
manifest-missing-schema = missing `schema`
manifest-this-file-written-for = this file is written for manifest schema { $n }; kanwu { $version } reads schema { $schema }
manifest-schema-must-be-schema = `schema` must be { $schema }
manifest-out-range = { $what } { $n } is out of range
manifest-issue-kind-not-known = issue kind `{ $other }` is not known
manifest-section-kind-not-known = section kind `{ $kind }` is not a known kind and has no title
manifest-section-lists-no-articles = the section { $title } (`{ $kind }`) lists no articles
manifest-article-listed-twice = article `{ $a }` is listed twice
manifest-issue-lists-articles-kanwu = the issue lists { $count } articles; kanwu sets at most { $max } in one issue
manifest-issue-empty-has-no = the issue is empty: it has no sections
manifest-add-a-section = add a section:
    { $example }
manifest-not-day-calendar = { $d } is not a day of the calendar
manifest-date-must-be-date = `date` must be a date without a time
manifest-date-text-not-date = `date` is the text "{ $s }", not a date
manifest-date-must-be-date-2 = `date` must be a date, found { $other }
manifest-issue-s-date-not = the issue's date { $date } is not in its year { $year }
manifest-split-article-into-several = split the article into several articles (an issue may list up to { $max })
manifest-was-probably-saved-as = it was probably saved as GBK/GB18030; save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8), or convert it with `iconv -f GB18030 -t UTF-8`
manifest-not-utf-16-text = { $shown } is { $name } text kanwu cannot read (without a byte-order mark, or damaged)
manifest-save-as-utf-8 = save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)
manifest-write-toml-date-without = write a TOML date without quotes, e.g. date = 2021-01-20
manifest-start-file-with-schema = start the file with `schema = { $schema }`
manifest-build-with-newer-kanwu = build it with a newer kanwu, the one that wrote it
manifest-write-schema-schema = write `schema = { $schema }`
manifest-number-from = { $what } is a number from { $start } to { $end }
manifest-write-kind-supplement-for = write kind = "supplement" for a 增刊 (numbered apart from the regular issues), or leave it out for a regular issue
manifest-correct-date-or-year = correct `date` or `year`; if the issue of { $year } really appears on { $date }, leave it
manifest-give-title-title-or = give it a title (title = "专题研究"), or use one of: { $kinds }
manifest-add-articles-file-md = add articles = ["file.md"], or remove the section
manifest-article-appears-once-per = an article appears once per issue; remove one of the two
manifest-split-into-several-issues = split it into several issues (or a supplement, kind = "supplement")

## src/model/publication.rs
publication-publication-empty = publication `{ $field }` is empty
publication-layout-not-folder-name = layout `{ $l }` is not a folder name
publication-unknown-paper = unknown paper `{ $s }`
publication-page-budget-not-page = page_budget = { $n } is not a page count
publication-bleed-mm-more-than = bleed { $mm } mm is more than 10 mm
publication-bleed-not-length = bleed `{ $b }` is not a length
publication-spot-colour-has-no = spot colour has no name
publication-pad-pages-can-be = pad_to = { $n }: pages can be padded to a multiple of 1, 2 or 4
publication-name-folder-under-layout = name a folder under layout/, e.g. layout = "express"
publication-use-a4-b5-16k = use a4, b5, 16k, or a size such as "210x285mm"
publication-pages-issue-should-fill = the pages an issue should fill, from 1 to 999, e.g. page_budget = 12
publication-printers-ask-for-3 = printers ask for 3 mm (sometimes 5 mm): bleed = "3mm"
publication-write-length-with-its = write a length with its unit: bleed = "3mm" (mm, cm, pt or in)
publication-name-ink-as-printer = name the ink as the printer's swatch book does, e.g. spot = "PANTONE 485 C", or remove the line to print the red in CMYK
publication-saddle-stitched-booklets-need = saddle-stitched booklets need pad_to = 4; 1 turns padding off

## src/model/article.rs
article-article-has-no-title = article has no title
article-image-inside-line-text = an image inside a line of text cannot be placed
article-add-title-front-matter = add title = "…" to the front matter between the +++ lines (only the editor's note may go without)
article-put-image-on-line = put the image on a line of its own, with a blank line before and after: ![图1 说明](images/x.png)

## src/model/front_matter.rs
front-matter-front-matter-not-closed = front matter is not closed
front-matter-front-matter-fields-are = front matter fields are title, subtitle, source and author
front-matter-end-front-matter-with = end the front matter with a line holding only +++

## src/model/loaded.rs
loaded-no-publication-toml-next = no publication.toml next to the issue folder (looked for { $path })
loaded-cannot-read-folder-issues = cannot read the folder of issues { $dir }: { $e }
loaded-no-issues-no-folder = no issues in { $dir }: no folder there holds an issue.toml
loaded-publication-toml-paper-lives = publication.toml (刊名, 编印单位, paper, 版记) lives in the folder that holds the issue folders, e.g. issues/publication.toml
loaded-name-folder-that-holds = name the folder that holds the issue folders, e.g. `--all issues`

## src/project.rs
project-cannot-open-project-root = cannot open the project root { $root }: { $e }
project-cannot-read = cannot read { $what }: { $e }

## src/util.rs
util-cannot = cannot { $what ->
        [create-folder] create the folder of
        [keep] keep the earlier
       *[write] write
    } { $path }: { $e }
io-not-found = it does not exist
io-permission-denied = permission denied: ask whoever manages this computer, or choose a folder of your own
io-already-exists = it already exists
io-not-a-folder = it is not a folder
io-is-a-folder = it is a folder, not a file
io-folder-not-empty = the folder is not empty
io-read-only = the disk is read-only
io-disk-full = the disk is full: free some space and try again
io-not-text = it is not text in UTF-8
io-busy = another program is using it: close it and try again
io-bad-name = the name is not allowed here
io-other = { $e }
util-already-exists-kanwu-never = { $shown } already exists; kanwu never overwrites a folder
util-cannot-create = cannot create { $shown }: { $e }
util-name-new-folder-or = name a new folder, or remove that one first

## src/typeset/compile.rs
compile-pdf-3b-not-available = PDF/A-3b is not available: { $e }
compile-pdf-export-failed = PDF export failed: { $message }

## src/typeset/fonts.rs
fonts-font-file-not-fonts = font file { $file } is not in fonts/fonts.lock
fonts-font-folder-does-not = font folder { $d } does not exist
fonts-cannot-read = cannot read { $shown }: { $e }
fonts-fonts-lock-malformed = fonts.lock is malformed: { $e }
fonts-locked-font-missing = locked font { $shown } is missing
fonts-locked-font-has-changed = locked font { $shown } has changed: { $m } bytes, the lock says { $size }
fonts-locked-font-has-changed-2 = locked font { $path } has changed: sha256 { $sum }, the lock says { $sha256 }
fonts-cannot-read-2 = cannot read { $name }: { $e }
fonts-build-uses-only-locked = a build uses only locked fonts; run `kanwu fonts --lock` to record it (then fill in its origin), or move it out of fonts/
fonts-check-font-path-argument = check the --font-path argument
fonts-run-kanwu-from-project = run kanwu from the project root (or pass --root), where fonts/ and fonts/fonts.lock are
fonts-restore-from-see-fonts = restore it from { $origin } (see fonts/fonts.lock)
fonts-restore-file-from-or = restore the file from { $origin }, or re-lock on purpose with `kanwu fonts --lock`
fonts-restore-file-from = restore the file from { $origin }

## src/typeset/layout.rs
layout-layout-s-font-not = the layout's `{ $role }` font "{ $family }" is not available
layout-layout-breaks-kanwu-s = the layout `{ $layout }` breaks kanwu's layout contract: { $what }
layout-vendor-fonts-and-lock = vendor it in fonts/ (and lock it), pass its folder with --font-path, or name another font in the layout's theme.typ
layout-see-layout-readme-md = see layout/README.md, "What the layout must place": a label on every section and titled article, the theme's fonts and the text block as metadata

## src/typeset/mod.rs
typeset-layout-not-found-does = layout `{ $layout }` not found: { $main } does not exist
typeset-layout-breaks-kanwu-s = the layout `{ $layout }` breaks kanwu's layout contract: { $entry }
typeset-name-folder-under-layout = name a folder under layout/ (the default is "express"), or pass --root to the project that has it
typeset-see-layout-readme-md = see layout/README.md for what a layout provides

## src/print/boxes.rs
boxes-cannot-add-bleedbox-print = cannot add the BleedBox to the print PDF: { $e }
boxes-print-page-without-bleed = the layout `{ $layout }` breaks kanwu's layout contract: page { $page } of the print PDF has no bleed (Typst wrote no TrimBox)
boxes-set-the-bleed = give every print page the bleed and slug of document.json's `output` (`bleed_mm`, `slug_mm`), blank pages too: see layout/README.md, section 5
boxes-cannot-write-print-pdf = cannot write the print PDF: { $e }

## src/print/impose.rs
impose-saddle-stitched-booklet-needs = a saddle-stitched booklet needs a multiple of 4 pages, the print PDF has { $pages }
impose-set-pad-4-under = set pad_to = 4 under [print] in publication.toml

## src/print/mod.rs
print-replace-character-or-add = replace the character, or add a font that has it (--font-path) and name it in theme.typ
print-layout-cmyk-in-pdfa = the layout `{ $layout }` breaks kanwu's layout contract: its { $profile } PDF (PDF/A) uses a CMYK colour, which PDF/A refuses
print-layout-cmyk-only-in-print = in layout/{ $layout }/theme.typ give CMYK colours only when `doc.output.profile` is "print", RGB otherwise (layout/README.md, section 5)

## src/print/preflight/frames.rs
frames-preflight = preflight: { $message }
frames-preflight-text-runs-outside = preflight: text runs outside the text block
frames-preflight-runs-below = preflight: the text block's content runs below its foot
frames-on-page-use-image = on page { $index }; use an image of at least { $inches } px width for this size
frames-on-page-word-too = on page { $number }: a word too long to break (a URL, a long number); give it break opportunities or shorten it

## src/print/preflight/glyphs.rs
glyphs-preflight = preflight: { $message }

## src/print/preflight/mod.rs
preflight-preflight = preflight: { $message }

## src/print/preflight/text.rs
preflight-text-preflight = preflight: { $message }
preflight-text-usually-comes-with-text = it usually comes with text copied from a database or an old word processor; delete it (an editor that shows invisible characters finds it)

## src/print/preflight/typeset_text.rs
preflight-typeset-preflight = preflight: { $message }
preflight-typeset-keep-one-mark-full = keep one mark: a full stop goes inside the closing quote or after it, not both

## src/editor/docx.rs
docx-already-exists-kanwu-import = { $existing } already exists; kanwu import never overwrites a file
docx-not-readable-docx = { $shown } is not a readable .docx: { $why }
docx-move-away-or-import = move it away, or import into another folder
docx-open-word-or-wps = open it in Word or WPS and save it again as .docx, or save it as plain text
docx-part-too-large = { $shown }: { $part } inflates to more than { $max } MiB ({ $size } MiB or more); nothing was imported
docx-part-too-large-hint = a real document's parts are far smaller: open it in Word or WPS, compress its pictures (图片格式 → 压缩图片) and save it again
docx-total-too-large-hint = kanwu imports at most that much from one .docx; split the document, or compress its pictures in Word or WPS (图片格式 → 压缩图片) and save it again
docx-picture-too-large = { $shown }: the picture { $part } declares { $w } × { $h } pixels, more than { $max } million; nothing was imported
docx-picture-too-large-hint = no page needs a picture that large: resize it in Word or WPS (or an image editor), then import again
docx-images-is-a-link = { $shown } is a symbolic link; kanwu import writes pictures only into the issue's own images/ folder; nothing was imported
docx-images-is-a-link-hint = replace the link with a folder (or remove it), then import again

## src/editor/import.rs
import-cannot-read = cannot read { $shown }: { $e }
import-not-text-file-neither = { $shown } is not a text file (neither UTF-8, UTF-16 with a byte-order mark, nor GBK/GB18030 text)
import-has-no-sections-no = { $shown } has no sections: no line opens with ●
import-section-marker-without-title = { $shown }:{ $i }: a section marker ● without a title
import-text-before-first-section = { $shown }:{ $i }: text before the first section
import-section-has-no-text = { $shown }: the section ●{ $title } has no text
import-import-takes-plain-text = import takes a plain-text issue (.txt, UTF-8 or GBK) or a Word .docx; save the document as plain text first
import-section-opens-with-and = a section opens with ● and its title on a line of its own, e.g. ●行业动态
import-write-section-s-title = write the section's title after ●, e.g. ●行业动态
import-section-opens-with-and-2 = a section opens with ● and its title on a line of its own, e.g. ●编者的话

## src/editor/init.rs
init-holds-no-kanwu-installation = { $dir } holds no kanwu installation: it needs layout/ and fonts/fonts.lock
init-cannot-find-kanwu-s = cannot find kanwu's layout/ and fonts/: looked in { $places }
init-cannot-write = cannot write { $what }: { $e }
init-already-holds-kanwu-project = { $shown } already holds { $part }/: it is a kanwu project already
init-kanwu-init-cannot-copy = kanwu init cannot copy its installation into itself
init-name-folder-kanwu-was = name the folder kanwu was unpacked into (the one holding kanwu.exe, layout\ and fonts\), or a kanwu project
init-pass-from-dir-folder = pass --from DIR, the folder holding layout/ and fonts/ (the unpacked kanwu package, or a kanwu project)
init-kanwu-init-never-overwrites = kanwu init never overwrites: start the publication in a new folder, `kanwu init NEW_FOLDER`; the next issue of this one is `kanwu new`

## src/editor/new.rs
new-new-issue-s-date = the new issue's date { $date } is before the previous issue's ({ $date2 }, { $dir })
new-already-exists-kanwu-new = { $target } already exists; kanwu new never overwrites a folder
new-still-has-placeholder-kanwu = { $path } still has the placeholder { $what } `kanwu init` wrote
new-still-has-kanwu-new = { $path } still has the placeholder { $what ->
        [title] title
        [note] editor's note
       *[other] text
    } written when the issue was made
new-write-publication-s-own = write the publication's own { $what } here
new-replace-with-article-s = { $what ->
        [title] replace it with the article's own title
        [note] replace it with this issue's editor's note (the note has no title)
       *[other] replace it with the article's own text
    }
new-give-new-issue-s = give the new issue's date with --date YYYY-MM-DD
new-name-another-folder-kanwu = name another folder: `kanwu new issues/NAME`, or remove that folder first

## src/editor/preview.rs
preview-ppi-out-range = --ppi { $ppi } is out of range
preview-page-does-not-exist = page { $first } does not exist: the issue has { $total } pages
preview-cannot-encode-page-as = cannot encode page { $n } as PNG: { $e }
preview-use-10-1200-96 = use 10 to 1200; 96 is a screen, 300 a print proof

## src/editor/serve/mod.rs
serve-cannot-listen-on = cannot listen on { $addr }: { $e }
serve-issue-folder-missing-last = the issue folder { $issue_dir } is missing; the last pages stay until it is back
serve-cannot-start-server = cannot start the server: { $e }
serve-another-program-may-use = another program may use this port: choose another with --port

## src/editor/watch.rs
watch-cannot-watch-files = cannot watch files: { $e }
watch-cannot-watch = cannot watch { $path }: { $e }

## src/export/docx.rs
export-docx-cannot-write-docx = cannot write the .docx: { $e }

## src/export/mod.rs
export-issue-has-no-article = the issue has no article `{ $name }`
export-name-one = name one of: { $names }

## src/archive/catalog.rs
catalog-layout-placed-no-label = { $name }: the layout placed no label <{ $what }>, so its page is unknown
catalog-failed-build-so-catalogue = { $issue } failed to build, so the catalogue leaves it out
catalog-see-layout-readme-md = see layout/README.md: the labels a layout places

## src/archive/extract.rs
extract-cannot-read-as-pdf = cannot read { $shown } as a PDF: { $e }
extract-attached-file-cannot-be = { $shown }: an attached file cannot be read: { $e }
extract-attachment-too-large = `{ $name }` inflates to more than { $max } MiB, { $which ->
    [one] the most kanwu extracts of one file
   *[all] the most kanwu extracts from one PDF in all
    }
extract-has-no-attached-files = { $pdf } has no attached files
extract-attached-file = attached file `{ $name }` { $why }
extract-nothing-was-extracted-into = nothing was extracted into { $shown }: { $refused } of the { $files } attached files cannot be written
extract-symbolic-link-kanwu-does = { $shown } is a symbolic link; kanwu does not write through links
extract-file-where-attachment-needs = { $shown } is a file, where the attachment `{ $name }` needs a folder
extract-folder-where-attachment-file = { $shown } is a folder, where the attachment `{ $name }` is a file
extract-already-exists-extract-never = { $shown } already exists; extract never overwrites a file unless told to
extract-only-archive-pdf-carries = only an archive PDF carries its sources: build it with `kanwu build ISSUE --profile archive`
extract-this-pdf-was-not = this PDF was not written by kanwu, or was altered; nothing was extracted
extract-extract-into-new-folder = extract into a new folder, or remove the link
extract-extract-into-new-folder-2 = extract into a new folder
extract-extract-into-new-folder-3 = extract into a new folder, or pass --force to overwrite the files

## src/archive/release.rs
release-cannot-read = cannot read { $file }: { $e }
release-msg = { $name }: { $message }
release-no-release-record-does = { $name }: no release record ({ $shown } does not exist)
release-does-not-match-its = { $name } does not match its release record { $shown }
release-record-release-first-kanwu = record the release first: `kanwu release { $dir }`
release-release-was-made-with = the release was made with kanwu { $kanwu }; this is kanwu { $version }
release-no-recorded-input-changed = no recorded input changed, yet the PDF differs: the build is not reproducible; please report it
release-sources-are-as-released = the sources are as released; restore the record and the published PDFs from a backup, or release again on purpose with `kanwu release { $dir }`
release-restore-changed-files-or = restore the changed files, or record the new state on purpose with `kanwu release { $dir }`

## src/archive/release/record.rs
release-record-release-toml-malformed = release.toml is malformed: { $e }
release-record-release-toml-has-no = release.toml has no `format`
release-record-release-toml-format-written = release.toml is in format { $n }, written by { $by }; kanwu { $a1 } reads format { $RELEASE_FORMAT }
release-record-release-toml-format-must = release.toml: `format` must be { $RELEASE_FORMAT }
release-record-write-again-with-kanwu = write it again with `kanwu release ISSUE`
release-record-verify-with-or-newer = verify it with { $by } or newer

## added by hand: fragments and rules
paths-rule-issue-files = an issue's issue.toml, articles and images must lie inside its issue folder, and the issue folder inside the folder of issues
paths-rule-publication = publication.toml must lie inside the folder that holds the issue folders
paths-why-absolute = it is an absolute path
paths-why-goes-up = it goes up with `..`
paths-why-symlink-out = it is a symlink pointing out of it
cli-verify-failed = verify failed
cli-build-failed = build failed
cli-build-failed-tail = ; no PDF was written for it
cli-export-failed = export failed
util-folder-in-the-way = a folder of that name is in the way
util-close-it-and-build-again = if it is open in a PDF viewer, close it and build again: a print PDF is not written under another name, since its ticket names it
extract-why-outside = would be written outside the folder (its name is not a plain relative path)
extract-why-twice = is attached twice
extract-why-file-and-folder = is both a file and a folder of the attachments
layout-missing-fonts = `#metadata(fonts) <{ $label }>` (the theme's font roles)
layout-missing-margins = `#metadata(margins) <{ $label }>` with top, bottom, inside and outside lengths (the text block)
layout-missing-label = the label <{ $label }>
layout-does-not-place = it does not place { $what }
layout-label-placed-twice = it places the label <{ $label }> { $n } times; place it once
layout-margin-not-absolute = the `{ $key }` of `<{ $label }>` is { $value }: give an absolute length (mm, pt, cm, in), not em or %
layout-margin-missing = `<{ $label }>` has no `{ $key }`: give all four of top, bottom, inside and outside

## src/model/article.rs
article-h1 = a level-1 heading (#) inside an article
article-h1-hint = the article's title goes in the front matter (title = "…"); start headings inside an article at ##
article-level-6-heading-kanwu = a level-6 heading (######): kanwu sets headings ## to #####
article-use-at-most-five = use at most five # (一、 （一） 1. （1） are levels 2 to 5)
article-block-raw-html-cannot = a block of raw HTML cannot be set in print
article-write-as-markdown-print = write it as Markdown; to print the text literally, indent nothing and escape the first < as \<
article-raw-html-cannot-be = raw HTML cannot be set in print
article-write-as-markdown = write it as Markdown
article-construct = this Markdown construct cannot be set: { $other }
article-remove-or-write-as = remove it or write it as plain paragraphs
article-image-not-file-issue = image `{ $url }` is not a file of the issue
article-download-into-issue-s = download it into the issue's images/ folder and write ![图1 …](images/name.png)
article-image-cannot-be-used = image `{ $url }` cannot be used: { $message }
lengths-paragraph-too-long = a paragraph of { $n } characters: kanwu sets paragraphs of at most { $max } (the longest of real documents have a few thousand)
lengths-paragraph-too-long-hint = split it into paragraphs (a blank line between them); if it is data pasted by mistake, remove it
lengths-run-too-long = { $n } characters with no space and no place to break: kanwu sets at most { $max } in one run (no word, number or address is that long)
lengths-run-too-long-hint = if it is data pasted by mistake (an encoded file, a table without spaces), remove it; else put spaces into it
article-replace-with-png-or = replace it with a PNG or JPEG file that opens in an image viewer

## src/model/text.rs
text-defined-here = [^{ $label }] is defined here

## src/model/manifest.rs
manifest-first-listed-here = first listed here

## src/model/article.rs
article-at-most-12-lists = at most 12 lists, quotes and emphases inside one another

## src/model/text.rs
text-footnote-may-hold-another = a footnote may hold another note, but no note may lead back to itself; write the text out
text-footnote-refers-itself = footnote [^{ $first }] refers to itself
text-notes-refer-to-each-other = footnotes [^{ $first }] and [^{ $second }] refer to each other
text-notes-circle = footnotes [^{ $first }], { $names } refer to one another in a circle
text-too-deep = nesting deeper than { $max } levels (lists, quotes, emphasis) cannot be set; flatten it
text-note-too-deep = footnote [^{ $label }]: { $too_deep } (notes inside notes count too)
text-note-too-deep-hint = put the inner note's text in the outer note, or take it out of the quote or list
text-note-too-many = footnote [^{ $label }] carries more than { $max } notes inside it
text-note-too-many-hint = use each note once, at the place it belongs

## src/model/manifest.rs
manifest-write-toml-date-without-2 = write a TOML date without quotes, e.g. date = 2021-01-20
manifest-there-no-manifest-schema = there is no manifest schema { $n }: schemas start at 1 and kanwu { $a1 } reads up to { $SCHEMA }

## src/model/image.rs
image-not-svg-file = not an SVG file
image-svg-unreadable = the SVG cannot be read: { $e }
image-svg-script = the SVG carries a script (<{ $tag }>), which no edition may run; export it again without scripts (in Inkscape: 另存为 → 普通 SVG)
image-svg-link = the SVG refers to something outside it ({ $value }), which the editions cannot carry; embed the picture in the SVG or remove the link, then export it as plain SVG
image-not-image-file-unknown = not an image file (unknown format)

## src/print/preflight/frames.rs
frames-px-placed-mm-wide = { $name } ({ $raster }×{ $raster2 } px) is placed { $inches } mm wide: { $ppi } ppi; { $note }
frames-runs-mm-outside-text = { $what ->
        [text] text
       *[other] an image
    } runs { $over } mm outside the text block{ $bleed ->
        [yes] , into the bleed
       *[no] {""}
    }
frames-runs-mm-below-text = { $what ->
        [text] text
       *[other] an image
    } runs { $over } mm below the foot of the text block

## src/print/preflight/glyphs.rs
glyphs-u-no-font-tried = U+{ $code } '{ $c }' is in no font: tried the layout's font, then all { $faces } faces of fonts/ and --font-path; it would print as nothing
glyphs-replace-character-or-add = replace the character, or add a font that has it (--font-path) and name it in theme.typ

## src/print/preflight/mod.rs
preflight-image-converted-png-file = { $format } image converted to PNG (the file itself is untouched)
preflight-pages-not-multiple = { $pages } pages is not a multiple of { $pad_to } (`[print] pad_to` in publication.toml): the layout must add the blank pages before the 版记 (layout/README.md, padding)

## src/print/preflight/text.rs
preflight-text-u-control-character-text = U+{ $code } (a control character) in the text: it prints as nothing

## src/print/preflight/typeset_text.rs
preflight-typeset-paragraph-ends-on-page = a paragraph ends on page { $page } with one character alone on its line (孤字): “{ $text }”
preflight-typeset-shorten-or-lengthen-paragraph = shorten or lengthen the paragraph by a few characters, or report the case: the layout should avoid it
preflight-typeset-doubled-punctuation = doubled punctuation `{ $run }`

## src/editor/import.rs
import-taken-as-title-new = { $shown }:{ $i }: 「{ $line }」 taken as the title of a new article in { $title } (a short line without punctuation)
import-article-has-no-text = { $name }: the article 「{ $title }」 has no text

## src/editor/docx.rs
docx-comments-not-imported-read = comments (批注): not imported; read them in Word
docx-word-element-w-was = a Word element <w:{ $other }> was not imported
docx-text-box-was-not = a text box (文本框) was not imported: 「{ $inner }」
docx-embedded-object-ole-was = an embedded object (OLE) was not imported
docx-note-unreadable = note { $label }: { $part } is unreadable
docx-linked-picture-not-inside = a linked picture ({ $target }) is not inside the file
docx-picture-windows-format-was = a picture in Windows { $ext } format ({ $target }) was not imported: no PDF typesetter reads it; in Word right-click it → 另存为图片 (Save as Picture) as PNG, put it in images/ and place it with ![图](images/….png)

## src/archive/release.rs
release-records-another-sha256-yet = records another sha256, yet the archive PDF, which carries this file, rebuilds to its recorded bytes: the file is as released
release-release-toml-damaged-its = release.toml is damaged: its entry for { $path } { $why }
release-published-out-not-released = the published out/{ $file } is not the released { $made ->
    [pdf] PDF
   *[edition] edition
  }: sha256 { $recorded } recorded, { $found } on disk
release-pdf-differs-from-release = the { $profile } { $made ->
    [pdf] PDF
   *[edition] edition
  } ({ $file }) differs from the release: sha256 { $recorded } recorded, { $found } rebuilt
release-release-toml-records-unknown = release.toml records an unknown profile `{ $p }`
release-not-recorded-release-again = out/{ $file } is not in the record (made after the release): run kanwu release again to record it
release-names-file-which-not = names the file `{ $file }`, which is not a file name
release-published-file = the published out/{ $file } { $why }
release-published-missing = is missing
release-published-link = is a symbolic link, not the released file
release-published-not-released = is not a file of the release
release-records-sha256-which-not = records sha256 `{ $sha }`, which is not a sha256

## src/cli/mod.rs
cli-not-page-range-write = `{ $s }` is not a page range: write 3, 1-3 or 2-

## src/archive/extract.rs
extract-name-tree-too-deep = the name tree is too deep
frames-note-blurred = below 150 ppi it prints visibly blurred
frames-note-300 = print wants 300 ppi
preflight-masthead-or-contents = the masthead or contents
preflight-place-on-page = { $place } (page { $page })
preflight-page-article = page { $page }, { $article }
preflight-whole-issue = whole issue

## cli/lang.rs: help of the command line (help-<command>, help-<command>-<argument>, help-arg-<argument>)
help-build = Build issues to PDF (default output: out/<issue folder>.pdf).
help-build-issues = Issue folders (or their issue.toml; default: the latest issue under issues/).
help-build-all = Build every issue under DIR (default: issues/ under the root) in parallel.
help-build-profile = Output profile.
help-build-output = Output file (only with a single issue).
help-build-emit-typst = Also write a self-contained Typst project to DIR (main.typ, document.json, layout, images) that `typst compile --font-path fonts DIR/main.typ` renders the same.
help-build-booklet = With --profile print: also impose a saddle-stitched booklet, out/<issue>.booklet.pdf.
help-check = Preflight an issue without writing anything: missing glyphs, image resolution, overflow, page and sheet count. Exits 1 when there are errors.
help-check-format = table (for people) or json (for tools): {"{"}"issue", "profile", "pages", "blank_pages", "sheets", "binding", "findings": [{"{"}"level", "check", "place", "message"{"}"}]{"}"}.
help-extract = Write the sources attached to an archive PDF back out: publication.toml into DIR, the issue's files into DIR/<issue>/.
help-arg-format = table (for people) or json (for tools).
help-build-format = With --all: table (for people) or json (for tools): {"{"}"built", "failed", "seconds", "issues": [{"{"}"issue", "path", "ok", "pdf", "pages", "bytes", "seconds", "warnings"{"}"}]{"}"}.
help-verify-format = table (for people) or json (for tools): {"{"}"ok", "issues": [{"{"}"issue", "path", "ok", "inputs", "outputs", "changes"{"}"}]{"}"}.
help-fonts-format = table (for people) or json (for tools): {"{"}"layout", "roles": [{"{"}"role", "family", "found"{"}"}], "fonts": [{"{"}"file", "index", "family", "weight", "style", "roles"{"}"}]{"}"}.
help-extract-force = Overwrite files that already exist in DIR (never through a symbolic link)
help-release = Build every profile of an issue and record the sha256 of its inputs and outputs in <issue>/release.toml.
help-verify = Rebuild issues in memory and compare them with their release.toml.
help-verify-all = Verify every issue under DIR (default: issues/ under the root).
help-catalog = Write out/catalog.json and out/catalog.pdf (年度总目录) of every issue under DIR.
help-catalog-dir = The folder of issues (default: issues/ under the root).
help-new = Start the next issue: a new folder after the latest (or --from) issue, number and serial + 1, the same sections with one article stub each.
help-new-dir = The new issue folder (default: issues/YYYY-NN under the root).
help-new-from = The issue to continue (default: the latest one beside the new folder).
help-new-date = The new issue's date (default: today).
help-watch = Build an issue, then rebuild it whenever its manifest, an article, an image, publication.toml, a layout file or a font changes. A failed rebuild keeps the last PDF.
help-watch-output = Output file (default out/<issue>.pdf).
help-serve = The desk (编辑台): edit an issue in the browser (http://127.0.0.1:3000/) and watch its pages follow the text as it is typed: articles, the issue's sections, its fields and the 版记, each change saved to the files with every earlier version kept.
help-serve-issue = The issue folder (default: the latest issue under issues/).
help-serve-port = The port to listen on (0: any free one).
help-serve-open = Open the default browser at the issue.
help-serve-bind = Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0 to let other machines read the issue; warned about).
help-serve-allow-open = Show a button that opens an article file with the system's default application.
help-serve-read-only = Only show the pages and findings (the viewer): nothing can be edited.
help-preview = Render pages of an issue to PNG (default: every page at 96 ppi into out/<issue>/).
help-preview-pages = Pages: 3, 1-3 or 2- (to the end).
help-preview-ppi = Pixels per inch.
help-stats = Count an issue: 汉字, characters, paragraphs, images and the page each article starts on.
help-stats-format = table (for people) or json (for tools): {"{"}"issue", "pages", "sections": [{"{"}"kind", "title", "page", "articles": [{"{"}"file", "title", "page", counts…{"}"}], "total"{"}"}], "total"{"}"}.
help-import-source = A plain-text issue (.txt) or a Word article (.docx).
help-import-output = Text: the new issue folder (default: issues/YYYY-NN under the root), never overwritten. Word: the issue folder to put the article in (default: the latest issue under issues/).
help-import-date = Text only: the issue's date (default: today).
help-import-number = Text only: 第N期 (default: the latest issue's + 1 in the same year, else 1).
help-import-serial = Text only: 总第N期 (default: the latest issue's + 1, when it has one).
help-export = Write other editions of issues from the same document: a self-contained web page (html), a Word file (docx) or phone images (images), default out/<issue>.<ext>.
help-export-issues = Issue folders (or their issue.toml).
help-export-all = Export every issue under DIR (default: issues/ under the root).
help-export-article = Only this article (its file name in issue.toml, e.g. ai-patents.md).
help-export-output = The file to write (a single issue only).
help-export-out-dir = The folder to write into (default: out/ under the root).
help-fonts = List the fonts kanwu uses and the roles the layout gives them.
help-fonts-verify = Check every locked font file's sha256 against fonts/fonts.lock.
help-fonts-lock = Rewrite fonts/fonts.lock from the files in fonts/ (on purpose only).
help-init-dir = The folder of the new publication (default: the current folder); created if missing.
help-init-name = 刊名, the periodical's name (default: a placeholder to edit in publication.toml).
help-init-publisher = 编印单位, who publishes it (default: a placeholder to edit).
help-init-marking = The marking on the masthead (default: 内部资料 注意保存).
help-init-layout = The layout, a folder under layout/ (default: express).
help-init-paper = a4 | b5 | 16k | 210x285mm (default: a4).
help-init-date = The first issue's date (default: today).
help-init-number = 第N期 of the first issue (default: 1).
help-init-serial = 总第N期 of the first issue (optional).
help-init-from = Copy layout/ and fonts/ from DIR (default: kanwu's own installation; see above).
help-kanwu = Typesets Chinese internal periodicals (内部资料) from TOML + Markdown into print-ready PDF
help-help = Print this message or the help of the given command
help-default = [default: { $values }]
help-possible-values = [possible values: { $values }]
help-usage = Usage:
help-heading-commands = Commands
help-heading-arguments = Arguments
help-heading-options = Options
help-arg-lang = Language of messages and help: zh or en (default: KANWU_LANG, else the system's language; English unless that is Chinese).
help-arg-root = Project root, holding layout/ and fonts/ (default: the current directory).
help-arg-font-paths = Another folder of fonts to use besides fonts/ (repeatable). System fonts are never used.
help-arg-issue = The issue folder (or its issue.toml).
help-arg-profile = Output profile: screen (e-mail and intranet), print (the printer: bleed, crop marks, CMYK) or archive (PDF/A-3b with the sources attached).
help-extract-pdf = An archive PDF (built with --profile archive).
help-extract-dir = The folder to write the sources into (default: issues/ under the root).
help-init = Start a new publication from nothing: layout/ and fonts/ copied from kanwu's own installation, issues/publication.toml (with --name etc., or commented defaults to edit) and a first issue that builds.
help-import = Import a plain-text issue (.txt: UTF-8, UTF-16 or GBK; sections opened by ●) as a new issue folder of Markdown articles, or one Word article (.docx) into an issue folder. The source file is never modified.
help-import-root = Project root, holding issues/ (default: the current directory).
help-build-examples = Examples:
      kanwu build issues/2021-01                  # → out/2021-01.pdf
      kanwu build issues/2021-01 -o briefing.pdf
      kanwu build --all --profile print --booklet
help-check-examples = Examples:
      kanwu check issues/2021-01
      kanwu check issues/2021-01 --profile screen --format json
help-extract-examples = Examples:
      kanwu extract out/2021-01.archive.pdf restored
help-release-examples = Examples:
      kanwu release issues/2021-01                # → issues/2021-01/release.toml
help-verify-examples = Examples:
      kanwu verify issues/2021-01
      kanwu verify --all
help-catalog-examples = Examples:
      kanwu catalog                               # → out/catalog.json, out/catalog.pdf
help-init-examples = Examples:
      kanwu init 快递 --name 许昌竞争情报快递 --publisher 许昌市科学技术情报研究所
      kanwu init . --from D:\kanwu
help-new-examples = Examples:
      kanwu new                                   # the issue after the latest one
      kanwu new issues/special --from issues/2021-01 --date 2021-02-20
help-watch-examples = Examples:
      kanwu watch issues/2021-01                  # Ctrl-C stops it
help-serve-examples = Examples:
      kanwu serve                                 # the latest issue at http://127.0.0.1:3000/
      kanwu serve issues/2021-01 --port 8080 --open
help-preview-examples = Examples:
      kanwu preview issues/2021-01 --pages 1-3 --ppi 150
help-stats-examples = Examples:
      kanwu stats issues/2021-01
      kanwu stats issues/2021-01 --format json
help-import-examples = Examples:
      kanwu import 2021年第3期.txt                # → issues/2021-03, numbered on from the latest issue
      kanwu import seed.txt issues/2021-03 --date 2021-03-20 --number 3 --serial 27
      kanwu import 文章.docx issues/2021-03        # → issues/2021-03/文章.md + images/
help-export-examples = Examples:
      kanwu export issues/2021-01 --to html       # → out/2021-01.html
      kanwu export --all --to docx --out-dir editions
help-fonts-examples = Examples:
      kanwu fonts
      kanwu fonts --verify
help-flag-help = Print help
help-flag-version = Print version
help-export-to = The edition: html (one self-contained web page per issue), docx (a Word file: the whole issue, or one article with --article) or images (one PNG per article, for phones: out/<issue>.phone/).

## second round: the command line's progress lines
cli-editor-step-articles = write the articles (each stub holds a note to replace): { $stubs }
cli-editor-step-sections = add or remove articles and sections in { $manifest }
cli-init-the-first-issue = (the first issue)
cli-init-step-publication = write the 刊名 and 编印单位 (and the 版记) in { $publication }
cli-init-step-articles = write the articles of the first issue (each stub holds a note to replace): { $stubs }
cli-init-each-month = then each month: kanwu new
cli-serve-serving = serving { $url } (Ctrl-C stops)
cli-serve-none = none
cli-serve-built = built { $pages } pages in { $ms } ms; sent again: { $sent }
cli-serve-failed = failed: the browser shows the errors over the last good pages
preflight-no-problems = no problems found
preflight-no-findings-but-warnings = nothing more than the { $n } warnings above
preflight-check-glyph = glyph
preflight-check-text = text
preflight-check-manifest = manifest
preflight-check-placeholder = placeholder
preflight-check-image = image
preflight-check-overflow = overflow
preflight-check-runt = runt
preflight-check-punctuation = punctuation
preflight-check-pages = pages
stats-footnote = (body text only: titles and footnotes are not counted; 汉字 = CJK ideographs, chars = all non-space characters)

## src/editor/import.rs
import-notepad-s-unicode-read = { $shown } is { $name } (Notepad's "Unicode"): read it as such and converted it (the file itself is unchanged)
import-not-utf-8-read = { $shown } is not UTF-8: read it as GBK/GB18030 and converted it (the file itself is unchanged)

## src/archive/release.rs
release-changed-since-release-sha256 = { $kind } { $path } changed since the release (sha256 { $was } → { $is })
release-was-input-release-and = { $kind } { $path } was an input of the release and is no longer used
release-new-since-release = { $kind } { $path } is new since the release
release-read-by-build-but = { $kind } { $path } is read by the build but not recorded in the release

## src/typeset/world.rs
world-package-not-available-kanwu = package { $spec } is not available: kanwu does not download packages; copy the package's files under layout/ (e.g. layout/_lib/) and import them by their path there
world-link-outside-build-reads = { $path } is a link to { $real }, outside { $root }: a build reads only the files inside the (resolved) folder they are named in
world-outside-kanwu-s-sandbox = `{ $vpath }` is outside kanwu's sandbox; a layout may read only { $allowed }

## src/typeset/layout.rs
layout-layout-issue-typ-must = layout/{ $layout }/issue.typ must define `issue(doc)`
layout-layout-catalog-typ-must = layout/{ $layout }/catalog.typ must define `catalog(cat)`
layout-layout-theme-typ-must = layout/{ $layout }/theme.typ must define the `fonts` dictionary

## src/model/image.rs
image-file-damaged = the file is damaged ({ $e })
image-cannot-convert-this-image = cannot convert this { $format } image to PNG ({ $e })
release-kind = { $kind ->
        [layout] layout file
        [publication] file
        [manifest] file
        [article] article
        [image] image
        [font] font
       *[other] { $kind }
    }
help-preview-output = Folder for the PNGs (default out/<issue>/). -o DIR still works (deprecated: -o names one file everywhere else).
help-new-root = Project root, holding issues/ (default: the current directory).
help-completions = Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
help-completions-shell = The shell: bash, zsh, fish, powershell or elvish.
help-completions-examples = Examples:
      kanwu completions bash > ~/.local/share/bash-completion/completions/kanwu
      kanwu completions powershell >> $PROFILE
cli-catalog-placeholders = no catalogue written: { $n ->
        [one] one place still holds
       *[other] { $n } places still hold
    } the placeholder text `kanwu new` or `kanwu init` wrote; replace it (kanwu check lists it too)
cli-catalog-without = the catalogue was written without { $n ->
        [one] one issue that failed
       *[other] { $n } issues that failed
    } to build ({ $failed }); correct { $n ->
        [one] it
       *[other] them
    } and run kanwu catalog again

## preflight's table (kanwu check, build --profile print)
preflight-table-head = preflight { $issue } ({ $profile }): { $pages } pages{ $blank ->
        [0] {""}
       *[other] {" "}({ $blank } blank)
    }, { $sheets } { $sheets ->
        [one] sheet
       *[other] sheets
    } ({ $binding })
preflight-binding-saddle = saddle stitch: 4 pages a sheet
preflight-binding-both-sides = printed both sides, side stitched
preflight-binding-one-side = printed one side
ticket-header = Print ticket written by kanwu beside the print PDF: what the job is, to quote and check it.
ticket-colour-black = process CMYK: text 100% K only, greys as K tints
ticket-colour-process = process CMYK { $cmyk }
ticket-colour-spot = spot: { $name } (process CMYK { $cmyk } without the spot ink)
ticket-colour-other = a colour outside CMYK, { $hex } (converted by the RIP)
ticket-colour-registration = crop marks and slug in registration (All)
ticket-colour-images = { $images } RGB image(s), converted by the RIP
profile-label = { $profile ->
        [screen] screen
        [print] print
        [archive] archive
        [phone] phone
        [booklet] booklet
       *[other] { $profile }
    }
edition-label = { $format ->
        [html] web
        [docx] Word
        [images] phone images
       *[other] { $format }
    }
preflight-col-level = level
preflight-col-check = check
preflight-col-where = where
preflight-col-what = what
preflight-level-error = error
preflight-level-warning = warning
preflight-level-info = info

## stats' table
stats-col-page = page
stats-col-hanzi = 汉字
stats-col-chars = chars
stats-col-paras = paras
stats-col-headings = hdgs
stats-col-images = imgs
stats-col-article = article
stats-section-total = { $section } total
stats-issue-total = issue { $issue } total, { $pages } pages

## build --all's table
cli-build-bar = { $name } { $what }
cli-build-format-json-needs-all = --format json goes with --all (the table of issues); a single build prints no report
cli-build-col-issue = issue
cli-build-col-pages = pages
cli-build-col-size = size
cli-build-col-time = time
cli-build-col-warnings = warnings
cli-build-failed-cell = FAILED

## last fragments
preflight-text-more-lines = ({ $n } more { $n ->
        [one] line of this file has
       *[other] lines of this file have
    } one)
release-record-a-newer-kanwu = a newer kanwu
docx-no-document-xml = it has no word/document.xml
docx-no-body = word/document.xml has no body

# Added at the merge of the phone edition and the font rule (session 3).
cli-export-o-names-one-image = -o names one image: use it with --article, or use --out-dir DIR for the issue's images
export-phone-images-set-by-layout = the phone images are set by the layout: export them with `kanwu export --to images`
images-text-cut-off = the phone image { $image } cuts off text: 「{ $run }…」 runs { $mm } mm past its edge
images-text-cut-off-hint = a run with no place to break (a long number, code or foreign word without spaces) is wider than a phone; in { $file }, put spaces into it or shorten it
release-edition-file-not-in-out = names the file `{ $file }`, which is not a file in out/
fonts-file-outside-its-folder = font file { $path } leads to { $real }, outside { $folder }: a build uses only fonts that lie inside the font folder they are found through
fonts-file-outside-its-folder-hint = copy the font itself into { $folder } instead of a link to it, or pass its folder with --font-path
layout-phone-article-page = article { $file } starts on page { $page } where the phone profile puts it on page { $want }
layout-phone-page-count = it sets { $pages } pages where the phone profile wants { $want }: the cover, then one page per article
layout-phone-page-width = page { $page } is { $width } mm wide where the phone profile wants { $want } mm
layout-phone-not-honoured = the layout `{ $layout }` does not honour the phone profile: { $what }
layout-phone-see-readme = see layout/README.md, "Honouring doc.output": for `phone`, the cover on page 1, then each article on a page of its own, `page_width_mm` wide and as tall as the article

# The viewer of `kanwu serve` (src/editor/serve/ui.rs; app.js fills the placeholders).
desk-no-such-article = The desk has no such article (the page may be out of date: reload it)
desk-edited-in-another-window = This article is being edited in another window
desk-cannot-read-article = Cannot read { $file }: { $e }. Check that the file exists and is UTF-8 text, then open it again.
desk-front-matter-does-not-parse = The front matter (between the +++ lines) does not parse: { $e }. Correct it in the text first; then the form can change it.
desk-changed-on-disk = The file was changed on disk by another program while there are unsaved changes here: both are kept; choose which to keep
desk-no-such-version = No such version
desk-cannot-write = Cannot save: { $e }
desk-saved-on-stop = saved { $file }
desk-kept-on-stop = { $file } changed on disk: the unsaved text did not replace it and is kept in the history (.kanwu/history)
desk-manifest-does-not-parse = This TOML file does not parse: { $e }. Correct it in a text editor first.
desk-no-such-section = The issue has no such section (the page may be out of date: reload it)
desk-article-not-in-issue = This article is not in the issue
desk-article-already-in-issue = This article is already in the issue
desk-section-needs-title = Give the section a title (only editors-note, news, trends and reports have one of their own)
desk-field-needs-a-number = Write a whole number
desk-field-needs-a-date = “{ $value }” is not a date: write it as year-month-day, like 2021-01-20
desk-no-such-field = No such field
desk-no-such-layout = There is no layout called { $layout } (layout/{ $layout }/issue.typ does not exist)
desk-opener-failed = The system could not open the file ({ $e }): give .md files a default application (a text editor), or edit it in the desk
desk-read-only = The desk was started read-only (--read-only): nothing can be changed
desk-no-window = The request does not say which window it comes from: reload the page
desk-bad-request = The desk cannot make sense of this request ({ $e }): reload the page
serve-ui-zoom-out = Zoom out
serve-ui-zoom-in = Zoom in
serve-ui-fit = Fit
serve-ui-fit-title = Fit the width
serve-ui-spreads = Spreads
serve-ui-trim = Trim & bleed
serve-ui-trim-title = The printer's trim (the paper size) and the bleed around it
serve-ui-trim-detail = Trim { $paper } ({ $w } × { $h } mm), bleed { $bleed } mm
serve-ui-connecting = connecting…
serve-ui-contents = Contents
serve-ui-preflight = Preflight
serve-ui-failed-title = The last save does not build — these are the last good pages
serve-ui-page-alt = page { $n }
serve-ui-one-page = 1 page
serve-ui-n-pages = { $n } pages
serve-ui-total = { $pages } pages · { $hanzi } 汉字
serve-ui-over = { $n } over
serve-ui-on-budget = on budget
serve-ui-spare = { $n } to spare
serve-ui-budget = budget { $n }:
serve-ui-print-blank = print: { $pages } ({ $blank } added to make up the sheets)
serve-ui-page-short = p. { $n }
serve-ui-no-problems = no problems found
serve-ui-live = live · built in { $ms } ms · build { $v }
serve-ui-not-building = the last save does not build
serve-ui-hint = hint: { $text }
serve-ui-error = error
serve-ui-warning = warning
serve-ui-line = { $file }, line { $line }
serve-ui-open = Open
serve-ui-open-title = Open { $file } with the default application
serve-ui-cannot-open = cannot open the file: { $why }
serve-ui-unreachable = cannot reach kanwu serve
serve-ui-still = still view (live=0) · build { $v }
serve-ui-retrying = kanwu serve is not answering; retrying…
serve-ui-info = note
serve-ui-check-image = image
serve-ui-check-overflow = overflow
serve-ui-check-glyph = glyph
serve-ui-check-pages = pages
serve-ui-check-text = text
serve-ui-check-manifest = manifest
serve-ui-check-runt = runt
serve-ui-check-punctuation = punctuation
serve-ui-state-saved = Saved
serve-ui-state-unsaved = Unsaved
serve-ui-state-saving = Saving…
serve-ui-state-conflict = Changed elsewhere
serve-ui-state-read-only = Read-only
serve-ui-front-error = The front matter (between the +++ lines) does not parse, so the form cannot show it: { $e }. Correct it above the text, or undo the last change.
serve-ui-tool-emphasis-short = Em
serve-ui-tool-list-short = List
serve-ui-tool-numbered-short = Numbered
serve-ui-tool-quote-short = Quote
serve-ui-tool-footnote-short = Note
serve-ui-tool-table-short = Table
serve-ui-tool-image-short = Picture
serve-ui-tool-link-short = Link
serve-ui-tool-bold = Bold (Ctrl+B)
serve-ui-tool-emphasis = Emphasis, set in 楷体 (Ctrl+I)
serve-ui-tool-h2 = Heading, level 1 (一、)
serve-ui-tool-h3 = Heading, level 2 (（一）)
serve-ui-tool-h4 = Heading, level 3 (1.)
serve-ui-tool-list = List
serve-ui-tool-numbered = Numbered list
serve-ui-tool-quote = Quotation
serve-ui-tool-footnote = Footnote
serve-ui-tool-table = Table
serve-ui-tool-image = Picture (put the file in the issue's images folder)
serve-ui-tool-link = Link
serve-ui-table-item = Item
serve-ui-table-value = Value
serve-ui-image-caption = Figure 1 caption
serve-ui-find = Find
serve-ui-find-title = Find and replace (Ctrl+F)
serve-ui-undo = Undo
serve-ui-redo = Redo
serve-ui-link-text = link text
serve-ui-conflict-title = This article was changed elsewhere
serve-ui-conflict-explain = { $file } was changed on disk by another program while this window holds unsaved changes. Both are below: choose one to keep; the other goes into the history, nothing is lost.
serve-ui-conflict-mine = My changes (unsaved)
serve-ui-conflict-theirs = The version on disk
serve-ui-keep-mine = Keep my changes
serve-ui-take-theirs = Take the version on disk
serve-ui-history = History
serve-ui-history-title = Earlier versions: choose one to see it; it can be restored
serve-ui-restore = Restore this version
serve-ui-restored = Restored (what it replaced is kept in the history too)
serve-ui-why-saved = before a save
serve-ui-why-restored = before a restore
serve-ui-why-unsaved = unsaved changes
serve-ui-no-versions = No earlier versions yet
serve-ui-close = Close
serve-ui-move-up = Move up
serve-ui-move-down = Move down
serve-ui-rename-section = Section title
serve-ui-new-article = New article
serve-ui-new-article-title = Title of the new article
serve-ui-remove-section = Remove the section (its article files are kept)
serve-ui-remove-article = Take out of the issue (the file is kept and can be put back)
serve-ui-confirm-remove-section = Remove the section “{ $title }” from the issue? Its articles' files are kept.
serve-ui-confirm-remove-article = Take “{ $title }” out of the issue? The file is kept, listed under articles not in the issue.
serve-ui-other-kind = Other section
serve-ui-section-title = Section title
serve-ui-add-section = Add section
serve-ui-not-in-issue = Articles not in the issue
serve-ui-put-back = Put back
serve-ui-tab-issue = Issue
serve-ui-tab-checks = Checks
serve-ui-tab-forms = Publication & colophon
serve-ui-locked = This article is being edited in another window: read-only here until that window closes it or goes quiet.
serve-ui-field-title = Title
serve-ui-field-subtitle = Subtitle
serve-ui-field-source = Source
serve-ui-field-author = Author
serve-ui-issue-fields = This issue
serve-ui-publication-fields = The publication
serve-ui-colophon-fields = Colophon (版记)
serve-ui-field-date = Date
serve-ui-field-year = Year
serve-ui-field-number = Number
serve-ui-field-serial = Serial number
serve-ui-field-copies = Copies
serve-ui-field-name = Name
serve-ui-field-publisher = Publisher
serve-ui-field-marking = Marking (e.g. 内部资料 注意保存)
serve-ui-field-classification = Classification
serve-ui-field-permit = Printing permit
serve-ui-field-printer = Printer
serve-ui-field-layout = Layout
serve-ui-field-paper = Paper
serve-ui-field-page-budget = Page budget
serve-ui-field-editor-in-chief = Editor in chief
serve-ui-field-editors = Editors (one a line)
serve-ui-field-address = Address
serve-ui-field-phone = Phone
serve-ui-field-email = E-mail
serve-ui-field-send-to = Sent to (报, one a line)
serve-ui-field-copy-to = Copied to (送, one a line)
serve-ui-field-distribute-to = Distributed to (发, one a line)

# What the TOML reader says, in an editor's words (src/model/toml_message.rs).
toml-unknown-field = unknown key `{ $field }`
toml-did-you-mean = did you mean `{ $name }`?
toml-allowed-here = the keys allowed here: { $list }
toml-unknown-value = unknown value `{ $value }`
toml-values-allowed = the values allowed here: { $list }
toml-missing-field = missing key `{ $field }`
toml-missing-field-hint = add a line `{ $field } = …` to this table
toml-duplicate-field = the key `{ $field }` is written twice
toml-duplicate-key = the same key is written twice
toml-keep-one = keep one of the two lines
toml-wrong-type = wrong type: { $expected } goes here, not { $found }
toml-wrong-value = wrong value: { $expected } goes here, not { $found }
toml-syntax = { $raw }
toml-syntax-may-only-go-between-digits = `_` may only go between digits
toml-syntax-cannot-recurse-further-max-recursion-depth-met = cannot recurse further; max recursion depth met
toml-syntax-carriage-return-must-be-followed-by-newline = carriage return must be followed by newline
toml-syntax-extra = extra `=`
toml-syntax-extra-assignment-between-key-value-pairs = extra assignment between key-value pairs
toml-syntax-extra-comma-in-array = extra comma in array
toml-syntax-extra-comma-in-inline-table = extra comma in inline table
toml-syntax-integers-with-a-radix-cannot-be-signed = integers with a radix cannot be signed
toml-syntax-invalid-comment-character = invalid comment character
toml-syntax-invalid-inline-table-element = invalid inline table element
toml-syntax-invalid-key-value-pair = invalid key-value pair
toml-syntax-invalid-unquoted-key = invalid unquoted key
toml-syntax-invalid-value = invalid value
toml-syntax-key-with-no-value = key with no value
toml-syntax-keys-cannot-be-multi-line-basic-strings = keys cannot be multi-line basic strings
toml-syntax-keys-cannot-be-multi-line-literal-strings = keys cannot be multi-line literal strings
toml-syntax-missing-array-opening = missing array opening
toml-syntax-missing-assignment-between-key-value-pairs = missing assignment between key-value pairs
toml-syntax-missing-comma-between-array-elements = missing comma between array elements
toml-syntax-missing-comma-between-key-value-pairs = missing comma between key-value pairs
toml-syntax-missing-comment-start = missing comment start
toml-syntax-missing-escaped-value = missing escaped value
toml-syntax-missing-inline-table-opening = missing inline table opening
toml-syntax-missing-key-for-inline-table-element = missing key for inline table element
toml-syntax-missing-opening-quote = missing opening quote
toml-syntax-missing-table-open = missing table open
toml-syntax-missing-value = missing value
toml-syntax-missing-value-for-key = missing value for key
toml-syntax-radix-must-be-lowercase = radix must be lowercase
toml-syntax-redundant-integer-number-prefix = redundant integer number prefix
toml-syntax-redundant-numeric-sign = redundant numeric sign
toml-syntax-string-values-must-be-quoted = string values must be quoted
toml-syntax-too-few-unicode-value-digits = too few unicode value digits
toml-syntax-unclosed-array = unclosed array
toml-syntax-unclosed-array-table = unclosed array table
toml-syntax-unclosed-inline-table = unclosed inline table
toml-syntax-unclosed-table = unclosed table
toml-syntax-unexpected-in-array = unexpected `=` in array
toml-syntax-unexpected-content = unexpected content
toml-syntax-unexpected-content-between-comment-and-newline = unexpected content between comment and newline
toml-syntax-unexpected-key-or-value = unexpected key or value
toml-syntax-unexpected-leading-zero = unexpected leading zero
toml-syntax-unexpected-sign = unexpected sign
toml-syntax-unquoted-keys-cannot-be-empty = unquoted keys cannot be empty
toml-expected-basic-string = basic string
toml-expected-characters = characters
toml-expected-digits = digits
toml-expected-key = key
toml-expected-letters = letters
toml-expected-literal-string = literal string
toml-expected-multi-line-basic-string = multi-line basic string
toml-expected-non-double-quote-visible-characters = non-double-quote visible characters
toml-expected-non-single-quote-characters = non-single-quote characters
toml-expected-non-single-quote-visible-characters = non-single-quote visible characters
toml-expected-numbers = numbers
toml-expected-printable-characters = printable characters
toml-expected-unicode-hexadecimal-value = unicode hexadecimal value
toml-expected-value = value
toml-expected-nothing = nothing
toml-expected-etc = etc
toml-syntax-expected = , expected { $list }
toml-or = {", "}
toml-found-text = the text { $value }
toml-found-number = the number { $value }
toml-found-boolean = { $value }
toml-found-list = a list [ … ]
toml-found-table = a table
toml-want-integer = a whole number (written without quotes)
toml-want-number = a number (written without quotes)
toml-want-text = text in quotes
toml-want-boolean = true or false
toml-want-list = a list [ … ]
toml-want-date = a date written without quotes, e.g. 2021-01-20
toml-no-such-day = no such day in the calendar: check the month and the day (dates are written year-month-day, e.g. 2021-02-28)
preflight-typeset-closing-quote-twice = a closing quote is written twice: delete one
preflight-typeset-opening-quote-twice = an opening quote is written twice: delete one

## cli/parse_error.rs: clap's own errors (the command line as typed)
clap-unknown-argument = unexpected argument '{ $arg }' found
clap-unknown-command = unrecognized subcommand '{ $command }'
clap-missing-value = a value is required for '{ $arg }' but none was supplied
clap-invalid-value = invalid value '{ $value }' for '{ $arg }'
clap-invalid-value-because = invalid value '{ $value }' for '{ $arg }': { $reason }
clap-missing-arguments = the following required arguments were not provided: { $args }
clap-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
clap-repeated = the argument '{ $arg }' cannot be used multiple times
clap-unexpected-value = unexpected value '{ $value }' for '{ $arg }' found; no more were expected
clap-missing-command = a command is required but none was given
clap-other = { $detail }
clap-possible-values = [possible values: { $values }]
clap-did-you-mean = tip: a similar one exists: '{ $suggested }'
clap-more-help = For more information, try '--help'.
