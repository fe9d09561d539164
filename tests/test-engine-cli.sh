#!/bin/sh
# The engine's subcommands (evaluate, recommend, batch) on a small data
# folder in the format `prepare` writes (tests/engine-make-data.py).
set -u
cli="$1"
make_data="$2"
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$make_data" "$tmp/data" || { echo "Bail out! cannot write the test data"; exit 1; }

check() {
  n=$((n + 1))
  if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi
}
# json FILE PYTHON-EXPRESSION-ON-d
json() {
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}

echo "1..24"

"$cli" evaluate --data "$tmp/data" --recipe aws-user-personalization --json >"$tmp/eval.json" 2>"$tmp/err"
check "evaluate --json prints one object with Personalize's keys" \
  'json "$tmp/eval.json" "d[\"recipe\"] == \"aws-user-personalization\" and set(d[\"solution_metrics\"]) == {\"coverage\", \"mean_reciprocal_rank_at_25\", \"normalized_discounted_cumulative_gain_at_5\", \"normalized_discounted_cumulative_gain_at_10\", \"normalized_discounted_cumulative_gain_at_25\", \"precision_at_5\", \"precision_at_10\", \"precision_at_25\"} and d[\"train_seconds\"] >= 0 and d[\"evaluate_seconds\"] >= 0"'
check "the validation evaluation covers every validation user, with the workshop's NDCG" \
  'json "$tmp/eval.json" "d[\"validation\"][\"users\"] == 200 and all(k in d[\"validation\"] for k in (\"workshop_ndcg_at_5\", \"workshop_ndcg_at_10\", \"workshop_ndcg_at_25\", \"precision_at_25\", \"coverage\")) and all(0 <= v <= 1 for k, v in d[\"validation\"].items() if k != \"users\")"'
check "user-personalization finds the planted tastes (validation P@5 > 0.1)" \
  'json "$tmp/eval.json" "d[\"validation\"][\"precision_at_5\"] > 0.1 and d[\"solution_metrics\"][\"normalized_discounted_cumulative_gain_at_10\"] > 0.1"'

check "evaluate --json says what the internal holdout chose" \
  'json "$tmp/eval.json" "d[\"model\"][\"lambda\"] > 0 and set(d[\"model\"]) == {\"lambda\", \"recency_half_life\", \"sequence_weight\", \"time_weight\", \"session_genre_weight\"} and 0 <= d[\"model\"][\"session_genre_weight\"] <= 1 and d[\"model\"][\"sequence_weight\"] >= 0 and d[\"model\"][\"time_weight\"] >= 0"'
"$cli" evaluate --data "$tmp/data" --recipe aws-user-personalization --exploration-weight 0 --json >"$tmp/eval0.json" 2>/dev/null
check "exploration brings cold items in (coverage with 0.3 > coverage with 0)" \
  'python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if a[\"validation\"][\"coverage\"] > b[\"validation\"][\"coverage\"] and a[\"solution_metrics\"] == b[\"solution_metrics\"] else 1)" "$tmp/eval.json" "$tmp/eval0.json"'

"$cli" evaluate --data "$tmp/data" --recipe aws-popularity-count --json >"$tmp/pop.json" 2>/dev/null
check "a popularity model has nothing chosen on a holdout" 'json "$tmp/pop.json" "\"model\" not in d"'
check "user-personalization beats popularity-count" \
  'python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if a[\"validation\"][\"normalized_discounted_cumulative_gain_at_10\"] > b[\"validation\"][\"normalized_discounted_cumulative_gain_at_10\"] else 1)" "$tmp/eval.json" "$tmp/pop.json"'

"$cli" evaluate --data "$tmp/data" --recipe aws-similar-items >"$tmp/eval.txt" 2>&1
check "evaluate prints a table with labelled metrics" \
  'grep -q "^  precision_at_5 " "$tmp/eval.txt" && grep -q "workshop_ndcg_at_10 .*workshop" "$tmp/eval.txt" && grep -q "200" "$tmp/eval.txt"'

"$cli" recommend --data "$tmp/data" --recipe aws-user-personalization --user 1 --events 31,32,33 --num-results 10 --json >"$tmp/rec.json" 2>/dev/null
check "recommend --events prints a list before the events and after each" \
  'json "$tmp/rec.json" "d[\"user\"] == \"1\" and [l[\"event\"] for l in d[\"lists\"]] == [None, \"31\", \"32\", \"33\"] and all(len(l[\"itemList\"]) == 10 for l in d[\"lists\"])"'
check "list items have id, title, genre and score" \
  'json "$tmp/rec.json" "all(set(i) == {\"itemId\", \"title\", \"genre\", \"score\"} and i[\"title\"].startswith(\"Film \") for l in d[\"lists\"] for i in l[\"itemList\"])"'
check "three documentary clicks move the thriller fan's list toward documentaries" \
  'json "$tmp/rec.json" "sum(i[\"genre\"] == \"Documentary\" for i in d[\"lists\"][3][\"itemList\"]) > sum(i[\"genre\"] == \"Documentary\" for i in d[\"lists\"][0][\"itemList\"]) and all(i[\"itemId\"] not in (\"31\", \"32\", \"33\") for i in d[\"lists\"][3][\"itemList\"])"'

"$cli" recommend --data "$tmp/data" --recipe aws-similar-items --item 5 --json >"$tmp/sim.json" 2>/dev/null
check "recommend --item lists related items of the same genre" \
  'json "$tmp/sim.json" "d[\"item\"] == \"5\" and len(d[\"lists\"][0][\"itemList\"]) == 25 and all(i[\"itemId\"] != \"5\" for i in d[\"lists\"][0][\"itemList\"]) and all(i[\"genre\"] == \"Thriller\" for i in d[\"lists\"][0][\"itemList\"][:5])"'

"$cli" recommend --data "$tmp/data" --recipe aws-personalized-ranking --user 2 --rank 1,zzz,35,121 --json >"$tmp/rank.json" 2>/dev/null
check "recommend --rank ranks the inputs, untrained ones last without a score" \
  'json "$tmp/rank.json" "[i[\"itemId\"] for i in d[\"lists\"][0][\"itemList\"]] == [\"35\", \"1\", \"zzz\", \"121\"] and d[\"lists\"][0][\"itemList\"][2][\"score\"] is None"'

"$cli" recommend --data "$tmp/data" --recipe aws-user-personalization --user 4 --num-results 5 >"$tmp/rec.txt" 2>&1
check "recommend prints a readable list" \
  'grep -q "^ *1  [0-9]" "$tmp/rec.txt" && grep -q "Film" "$tmp/rec.txt"'

printf '{"userId": "1"}\n{"userId": "nobody"}\n\n{"itemId": "5"}\n' >"$tmp/in.jsonl"
"$cli" batch --data "$tmp/data" --recipe aws-user-personalization --input "$tmp/in.jsonl" --output "$tmp/in.jsonl.out" >/dev/null 2>&1
check "batch writes one line per input, with scores for user-personalization" \
  'python3 -c "
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
ok = len(lines) == 3 and lines[0][\"input\"] == {\"userId\": \"1\"} and len(lines[0][\"output\"][\"recommendedItems\"]) == 25
ok = ok and len(lines[0][\"output\"][\"scores\"]) == 25 and lines[0][\"error\"] is None and lines[1][\"error\"] is None
ok = ok and lines[2][\"output\"] is None and \"userId\" in lines[2][\"error\"]
sys.exit(0 if ok else 1)" "$tmp/in.jsonl.out"'

printf '{"itemId": "5"}\n' >"$tmp/items.jsonl"
"$cli" batch --data "$tmp/data" --recipe aws-sims --input "$tmp/items.jsonl" --output "$tmp/items.out" >/dev/null 2>&1
check "batch for related items has no scores" \
  'python3 -c "
import json, sys
l = json.loads(open(sys.argv[1]).readline())
sys.exit(0 if set(l[\"output\"]) == {\"recommendedItems\"} and len(l[\"output\"][\"recommendedItems\"]) == 25 else 1)" "$tmp/items.out"'

check "a missing --data or an unknown recipe is a usage error (exit 2)" \
  '"$cli" evaluate --recipe aws-sims >/dev/null 2>&1; a=$?; out=$("$cli" evaluate --data "$tmp/data" --recipe aws-nope 2>&1); b=$?; [ $a -eq 2 ] && [ $b -eq 2 ] && echo "$out" | grep -q aws-nope'
check "a folder without the files names the file (exit 1)" \
  'out=$("$cli" recommend --data "$tmp/none" --recipe aws-sims --item 1 2>&1); [ $? -eq 1 ] && echo "$out" | grep -q training_interaction.csv'
check "a legacy recipe runs with a note" \
  'out=$("$cli" recommend --data "$tmp/data" --recipe aws-hrnn --user 1 --num-results 3 2>&1); [ $? -eq 0 ] && echo "$out" | grep -q legacy'
check "--events naming an item that is not in the catalogue is an error that names it, before any list (exit 1)" \
  'out=$("$cli" recommend --data "$tmp/data" --recipe aws-user-personalization --user 1 --events 31,no-such-film,33 --json 2>"$tmp/ev-err"); [ $? -eq 1 ] && [ -z "$out" ] && grep -q "no-such-film" "$tmp/ev-err" && grep -q "catalogue" "$tmp/ev-err"'
check "--events without an item is a usage error (exit 2)" \
  '"$cli" recommend --data "$tmp/data" --recipe aws-user-personalization --user 1 --events " , " >/dev/null 2>&1; [ $? -eq 2 ]'
# The workshop on the data layer's ML-1M-shaped synthetic data, through prepare
"$cli" prepare --source synthetic --out "$tmp/syn" -q >/dev/null 2>&1
"$cli" evaluate --data "$tmp/syn" --recipe aws-user-personalization --json >"$tmp/syn-up.json" 2>/dev/null
"$cli" evaluate --data "$tmp/syn" --recipe aws-popularity-count --json >"$tmp/syn-pop.json" 2>/dev/null
check "on prepared synthetic data user-personalization beats popularity-count on every metric" \
  'python3 -c "
import json, sys
up = json.load(open(sys.argv[1])); pop = json.load(open(sys.argv[2]))
ok = up[\"validation\"][\"users\"] == 6040
for part in (\"solution_metrics\", \"validation\"):
    for k, v in pop[part].items():
        if k != \"users\":
            ok = ok and up[part][k] > v
sys.exit(0 if ok else 1)" "$tmp/syn-up.json" "$tmp/syn-pop.json"'
"$cli" recommend --data "$tmp/syn" --recipe aws-user-personalization --user 1200 --events 246,556,2677 --num-results 10 --json >"$tmp/syn-rec.json" 2>/dev/null
check "the workshop's real-time experiment: user 1200's list moves toward documentaries click after click" \
  'json "$tmp/syn-rec.json" "[sum(\"Documentary\" in i[\"genre\"] for i in l[\"itemList\"]) for l in d[\"lists\"]] == sorted([sum(\"Documentary\" in i[\"genre\"] for i in l[\"itemList\"]) for l in d[\"lists\"]]) and sum(\"Documentary\" in i[\"genre\"] for i in d[\"lists\"][3][\"itemList\"]) >= sum(\"Documentary\" in i[\"genre\"] for i in d[\"lists\"][0][\"itemList\"]) + 3"'
check "the lists are the same on a second run (deterministic)" \
  '"$cli" recommend --data "$tmp/syn" --recipe aws-user-personalization --user 1200 --events 246,556,2677 --num-results 10 --json 2>/dev/null | python3 -c "import json,sys; a=json.load(sys.stdin); b=json.load(open(sys.argv[1])); sys.exit(0 if [[i[\"itemId\"] for i in l[\"itemList\"]] for l in a[\"lists\"]] == [[i[\"itemId\"] for i in l[\"itemList\"]] for l in b[\"lists\"]] else 1)" "$tmp/syn-rec.json"'
exit $fail
