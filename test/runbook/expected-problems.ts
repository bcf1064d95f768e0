// The exact problems each broken fixture (test/fixtures/runbooks/broken/RULE.yaml) must
// produce, as `LINE:COL: message` after the file name. Shared by the rule and CLI tests.

export const expectedProblems: Record<string, string[]> = {
  'alias': [
    "5:14: YAML anchor '&shared' refused: runbooks do not use anchors and aliases; repeat the value instead",
    "6:6: YAML alias '*shared' refused: runbooks do not use anchors and aliases (they are how alias bombs work); repeat the value instead",
  ],
  'alert-match': [
    "7:29: 'alertname'[1] must be a string, got a number (3)",
    "8:14: 'job=~\"(unclosed\"': the regex does not compile: Unterminated group",
    "8:34: 'severity page' is not a label matcher: write label=\"value\", label!=\"value\", label=~\"regex\" or label!~\"regex\"",
    "11:10: match.inputs fills 'pdi', which is not an input of this runbook (its inputs are pid) — did you mean 'pid'?",
    "12:12: match.inputs fills 'pprof', which is not an input of this runbook (its inputs are pid)",
    "12:12: '{{ instance }}': a match.inputs template reads the alert only, as {{ labels.NAME }} or {{ annotations.NAME }} (like {{ labels.job }})",
    "13:3: unknown key 'labels' in match",
  ],
  'ask-default': [
    "6:87: ask default 'maybe' is not one of the choices (yes, no)",
  ],
  'ask-goto-missing': [
    "9:33: goto 'grow' names no step — did you mean 'growing'?",
  ],
  'bad-duration': [
    "8:11: wait: invalid duration '5 minutes': unexpected '5 minutes' (examples: 250ms, 30s, 1m30s, 2h)",
    "10:64: timeout: invalid duration 'soon': unexpected 'soon' (examples: 250ms, 30s, 1m30s, 2h)",
  ],
  'bad-enum': [
    "6:35: 'collect'[1] must be one of status, smaps_rollup, maps, heap, goroutines, goroutines_debug2, memstats, vars, gctrace, malloc_info, c_allocs, smaps, heap_gc, environ, host_cpu, cpu_profile, exec_trace, trace_stw, trace_syscalls; got 'smapz' — did you mean 'smaps'?",
    "8:42: 'severity' must be one of info, low, medium, high, critical; got 'hgh' — did you mean 'high'?",
  ],
  'bad-input-type': [
    "5:17: 'type' must be one of string, int, number, bool, pid, url, duration, path, choice, secret, target; got 'strng' — did you mean 'string'?",
  ],
  'bad-names': [
    "5:3: name 'my-input' in 'inputs' must be an identifier of letters, digits and _ (like rss_growth_mb)",
    "7:9: 'id' 'Go Heap' must be a lowercase id of letters, digits, - and _ (like go-heap)",
    "8:16: name 'growth-mb' in 'compute' must be an identifier of letters, digits and _ (like rss_growth_mb)",
  ],
  'compare-to': [
    "8:48: compare_to 'note' must name an earlier snapshot step",
    "10:48: compare_to 'later' must name an earlier snapshot step",
  ],
  'query-promql': [
    "11:50: '{{ job }}': in PromQL a template may only fill the inside of a double-quoted string literal, like {job=\"{{ job }}\"}: anywhere else a value could change the query",
    "11:75: '{{ jb }}' names no input, earlier step or built-in — did you mean 'job'?",
    "12:14: range: invalid duration '6 hours': unexpected '6 hours' (examples: 250ms, 30s, 1m30s, 2h)",
    "13:21: bearer_token must be one template naming a secret input, like \"{{ prometheus_token }}\" with inputs: { prometheus_token: { type: secret } }: a credential written here would sit in the file, and one from another input would be shown unmasked",
    "16:47: '{{ job }}': in PromQL a template may only fill the inside of a double-quoted string literal, like {job=\"{{ job }}\"}: anywhere else a value could change the query",
    "17:46: basic_auth.password must be one template naming a secret input, like \"{{ prometheus_token }}\" with inputs: { prometheus_token: { type: secret } }: a credential written here would sit in the file, and one from another input would be shown unmasked",
    "18:23: '{{ later }}' uses step 'later', which has not run yet at this point: a template can use inputs and earlier steps only",
    "20:69: 'noise_floor' must be a number (or a {{ template }} giving one), got a string ('lots')",
  ],
  'snapshot-series': [
    "13:24: 'count' must be at least 2, got 1",
    "17:24: 'count' must be a whole number (or a {{ template }} giving one), got a string ('three')",
    "17:38: every: invalid duration 'soon': unexpected 'soon' (examples: 250ms, 30s, 1m30s, 2h)",
    "17:44: unknown key 'noise_flor_mb' in series — did you mean 'noise_floor_mb'?",
    "21:28: '{{ snapshot }}' names no input, earlier step or built-in",
  ],
  'conclude-next': [
    "8:7: step 'finish' concludes the runbook, so its 'next' is never followed; remove it",
  ],
  'duplicate-key': [
    "7:5: duplicate key 'title'; YAML would silently keep only one of them",
  ],
  'duplicate-step-id': [
    "7:9: duplicate step id 'look' (first used on line 5)",
  ],
  'step-named-like-input': [
    "7:9: step id 'history' is also the name of an input, which hides the step's facts from {{ history.… }} and expressions; rename one of them",
  ],
  'empty-file': [
    "1:1: the file is empty; a runbook needs id, title, summary and steps",
  ],
  'compute-order': [
    "8:17: 'heap_mb' in this expression names no input, step so far, built-in",
    "8:27: 'stack_mb' in this expression names no input, step so far, built-in",
  ],
  'empty-list': [
    "4:8: 'steps' needs at least 1 item",
  ],
  'expression-syntax': [
    "7:21: expression does not parse: expected ')' to close '(', found the end of the expression",
    "9:23: expression does not parse: expected a value, found '>'",
  ],
  'expression-unknown-name': [
    "9:15: 'later.value' uses step 'later', which has not run yet at this point: an expression can use inputs, earlier steps and this step",
    "11:15: 'grwth' in this expression names no input, step so far, built-in or fact computed by this step — did you mean 'growth'?",
    "11:23: 'limt_mb' in this expression names no input, step so far, built-in or fact computed by this step — did you mean 'limit_mb'?",
    "15:12: 'growth' in this expression names no input, step so far, built-in",
  ],
  'goto-missing': [
    "7:15: goto 'fnish' names no step — did you mean 'finish'?",
  ],
  'input-declaration': [
    "5:35: input 'token' is a secret and cannot have a default (it would sit in the runbook file); ask for it instead",
    "6:17: input 'mode' is a choice but lists no 'choices'",
    "7:34: input 'name' has 'choices' but its type is string, not choice",
    "7:52: input 'name' has 'discover' but its type is string, not pid",
  ],
  'input-default-type': [
    "5:32: default of input 'count' must be a whole number; got \"ten\"",
    "6:35: default of input 'ratio' must be a number; got \"0.5\"",
    "7:35: default of input 'verbose' must be true or false; got \"yes\"",
    "8:30: default of input 'pid' must be a process id (a whole number above 0); got -1",
    "9:32: default of input 'pprof' must be an http:// or https:// URL; got \"127.0.0.1:6060\"",
    "10:40: default of input 'interval' must be a duration like 30s; got 30",
    "11:57: default of input 'mode' must be one of its choices (fast, slow); got \"medium\"",
    "12:35: default of input 'where' must be a target: local, ssh://host or kubectl://namespace/pod[/container]; got \"ftp://host\"",
    "13:34: default of input 'name' must be a string; got 42",
  ],
  // One pass: a structural mistake (an unknown key, a wrong enum) does not hide the
  // template and goto mistakes in the same file.
  'mistakes-in-one-pass': [
    "6:18: 'type' must be one of string, int, number, bool, pid, url, duration, path, choice, secret, target; got 'strnig' — did you mean 'string'?",
    "9:32: '{{ dri }}' names no input, earlier step or built-in — did you mean 'dir'?",
    "9:60: unknown key 'timout' in run — did you mean 'timeout'?",
    "13:15: goto 'big' names no step",
  ],
  'match-empty': [
    "5:3: match needs 'alertname', 'matchers' or both: with neither it would answer every alert",
  ],
  'missing-required': [
    "5:5: step is missing 'id' (Unique id: the target of goto and the root of this step’s facts in expressions.)",
    "6:15: conclude is missing 'severity' (How bad it is.)",
  ],
  'multiple-documents': [
    "7:1: more than one YAML document (---); put one runbook in each file",
  ],
  'no-step-kind': [
    "5:5: step 'one' needs exactly one step kind: run, read, fetch, query, wait, compute, ask, checklist, note, snapshot, conclude",
  ],
  'own-facts': [
    "9:15: 'p99_ms' in this expression names no input, step so far, built-in",
  ],
  'regex-without-pattern': [
    "6:45: parser 'regex' needs parse_options.pattern (a regular expression with named groups): add parse_options: { pattern: 'VmRSS:\\s+(?<rss_kb>\\d+)' }",
    "11:22: parser 'regex' needs parse_options.pattern (a regular expression with named groups): add pattern: 'VmRSS:\\s+(?<rss_kb>\\d+)' to its parse_options",
  ],
  'run-form': [
    "6:10: run needs exactly one command form: argv, shell",
    "8:28: run has more than one command form ('argv' and 'shell'); keep one",
  ],
  'template-in-plain-field': [
    "6:29: 'prompt' is used as written: templates are filled in only in argv elements, env values and text fields",
  ],
  'template-in-shell': [
    "9:14: templates are never filled into shell scripts (a value could inject commands); pass the value through env: instead, e.g. env: { PID: \"{{ pid }}\" } and use \"$PID\" in the script",
  ],
  'template-in-parse-options': [
    "6:76: '{{ profile.alloc_sites }}' uses step 'profile', which has not run yet at this point: a template can use inputs and earlier steps only",
    "6:111: '{{ bulid.entries }}' names no input, earlier step or built-in",
    "8:71: template does not parse: unclosed '{{': add '}}' after the name",
  ],
  'template-later-step': [
    "6:28: '{{ status.path }}' uses step 'status', which has not run yet at this point: a template can use inputs and earlier steps only",
  ],
  'template-syntax': [
    "8:26: template does not parse: unclosed '{{': add '}}' after the name",
    "10:15: template does not parse: 'pid + 1' is not a name: use letters, digits, '_' and '-' separated by '.' (templates hold no expressions)",
  ],
  'template-unknown-name': [
    "8:29: '{{ pdi }}' names no input, earlier step or built-in — did you mean 'pid'?",
    "10:28: '{{ stauts.path }}' names no input, earlier step or built-in — did you mean 'status'?",
    "10:49: '{{ session.dri }}' names no input, earlier step or built-in — did you mean 'session.dir'?",
  ],
  'two-defaults': [
    "9:9: step 'start' has more than one default next rule (an entry without 'when'); only the first can ever be taken",
  ],
  'two-step-kinds': [
    "7:5: step 'one' has more than one step kind ('run' and 'note'); keep one and split the rest into their own steps",
  ],
  'unknown-key': [
    "4:1: unknown key 'summry' in runbook 'unknown-key' — did you mean 'summary'?",
    "7:5: unknown key 'titel' in step 'one' — did you mean 'title'?",
    "8:25: unknown key 'optinal' in note — did you mean 'optional'?",
  ],
  'unknown-parser': [
    "6:35: unknown parser 'no-such-parser-ever'; known parsers: lines, regex, json, key-value, gctrace, proc-maps, proc-status, smaps-rollup, memstats, goroutines, pprof, pprof-top, escape, malloc-info, c-allocs, cgo-audit, http-body-audit, context-cancel-audit, lsan, proc-smaps, proc-environ, host-cpu, pprof-hotspots, go-trace-events, prometheus",
  ],
  'unknown-step-kind': [
    "6:5: unknown step kind 'runn' — did you mean 'run'?",
  ],
  'unreachable-step': [
    "9:9: step 'orphan' can never run: no goto, choice or fall-through from the first step leads to it",
    "13:9: step 'after-end' can never run: no goto, choice or fall-through from the first step leads to it",
  ],
  'wrong-type': [
    "6:18: 'argv' must be a list of strings, got a string ('uptime')",
    "6:35: 'mutates' must be true or false, got a string ('yes please')",
    "6:57: 'ok_exit'[0] must be a whole number, got a string ('one')",
    "8:5: 'read' must be a mapping (key: value), got nothing",
  ],
  'yaml-syntax': [
    "6:31: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
};
