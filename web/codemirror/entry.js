// What the desk (src/editor/serve/assets/desk.js) uses of CodeMirror, as one global: `CM`.
export { EditorState, EditorSelection, Compartment, StateEffect, StateField } from '@codemirror/state';
export {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, placeholder, Decoration, ViewPlugin,
} from '@codemirror/view';
export { defaultKeymap, history, historyKeymap, undo, redo, indentWithTab } from '@codemirror/commands';
export { search, searchKeymap, openSearchPanel, highlightSelectionMatches } from '@codemirror/search';
export { markdownLanguage } from '@codemirror/lang-markdown';
export { syntaxHighlighting, defaultHighlightStyle, HighlightStyle } from '@codemirror/language';
