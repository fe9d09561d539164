#!/bin/sh
# personalize-workshop-cli prepare, end to end: synthetic data, a small
# ml-1m-format folder written here, Personalize-format CSVs with bad rows,
# usage errors.
set -u
cli="$1"
py="${2:-python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
n=0
check() {
  n=$((n + 1))
  if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi
}
json() { # FILE KEY...: prints a value of the JSON object in FILE
  "$py" -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]: v = v[k]
print(v)' "$@"
}
rows() { echo $(( $(wc -l < "$1") - 1 )); }

echo "1..29"

# Synthetic.
"$cli" prepare --source synthetic --out "$work/syn" --json -q > "$work/syn.json" 2> "$work/syn.err"
rc=$?
check "synthetic: exit 0" '[ $rc -eq 0 ]'
check "synthetic: ML-1M-sized" '[ "$(json "$work/syn.json" interactions)" = 1000209 ] && [ "$(json "$work/syn.json" users)" = 6040 ]'
check "synthetic: the six files" 'for f in training_interaction validation_interaction coldstart_interaction warm_interaction training_item catalog; do [ -s "$work/syn/$f.csv" ] || exit 1; done'
check "synthetic: interaction headers" 'for f in training validation coldstart warm; do [ "$(head -1 "$work/syn/${f}_interaction.csv")" = "USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE" ] || exit 1; done'
check "synthetic: items headers" '[ "$(head -1 "$work/syn/training_item.csv")" = "ITEM_ID,GENRE" ] && [ "$(head -1 "$work/syn/catalog.csv")" = "ITEM_ID,TITLE,GENRE" ]'
check "synthetic: file rows match the counts" '[ "$(rows "$work/syn/training_interaction.csv")" = "$(json "$work/syn.json" training_rows)" ] && [ "$(rows "$work/syn/validation_interaction.csv")" = "$(json "$work/syn.json" validation_rows)" ] && [ "$(rows "$work/syn/coldstart_interaction.csv")" = "$(json "$work/syn.json" coldstart_rows)" ]'
check "synthetic: training + validation = warm" '[ $(( $(rows "$work/syn/training_interaction.csv") + $(rows "$work/syn/validation_interaction.csv") )) = "$(rows "$work/syn/warm_interaction.csv")" ]'
check "synthetic: warm + cold = all" '[ $(( $(json "$work/syn.json" warm_rows) + $(json "$work/syn.json" coldstart_rows) )) = 1000209 ]'
check "synthetic: training_item.csv lists every item" '[ "$(rows "$work/syn/training_item.csv")" = "$(json "$work/syn.json" items)" ]'
"$cli" prepare --source synthetic --out "$work/syn2" -q > "$work/syn2.txt" 2>&1
rc=$?
check "synthetic: the same files again (deterministic)" 'for f in "$work"/syn/*.csv; do cmp -s "$f" "$work/syn2/$(basename "$f")" || exit 1; done'
check "synthetic: the summary says it is synthetic" 'grep -q "Synthetic data" "$work/syn2.txt"'
"$cli" prepare --source synthetic --out "$work/syn3" --seed 7 --warm-fraction 0.3 --holdout-fraction 0.2 --json -q > "$work/syn3.json"
rc=$?
check "options change the split" '[ "$(json "$work/syn3.json" warm_items)" = $(( $(json "$work/syn3.json" items) - $(json "$work/syn3.json" items) * 7 / 10 )) ] && ! cmp -s "$work/syn/training_interaction.csv" "$work/syn3/training_interaction.csv"'

# A small ml-1m-format folder.
mkdir -p "$work/ml/ml-1m"
awk 'BEGIN { srand(3); for (u = 1; u <= 40; u++) for (k = 0; k < 20 + u % 7; k++) printf "%d::%d::%d::%d\n", u, 1 + int(rand() * 80), 1 + int(rand() * 5), 978300000 + int(rand() * 30) }' > "$work/ml/ml-1m/ratings.dat"
awk 'BEGIN { for (i = 1; i <= 80; i++) printf "%d::Film %d (19%02d)::%s\n", i, i, i % 100, (i % 2 ? "Drama" : "Comedy|Romance") }' > "$work/ml/ml-1m/movies.dat"
printf '81::Caf\351 (1993)::Comedy\n' >> "$work/ml/ml-1m/movies.dat"
"$cli" prepare --source ml-1m --input "$work/ml" --out "$work/ml-out" --json > "$work/ml.json" 2> "$work/ml.err"
rc=$?
check "ml-1m folder: exit 0" '[ $rc -eq 0 ]'
check "ml-1m folder: every row counted" '[ "$(json "$work/ml.json" interactions)" = "$(wc -l < "$work/ml/ml-1m/ratings.dat")" ] && [ "$(json "$work/ml.json" users)" = 40 ]'
check "ml-1m folder: EVENT_TYPE is RATING" '[ "$(cut -d, -f5 "$work/ml-out/warm_interaction.csv" | sort -u | tr "\n" " ")" = "EVENT_TYPE RATING " ]'
check "ml-1m folder: Latin-1 titles become UTF-8" 'grep -q "^81,Café (1993),Comedy$" "$work/ml-out/catalog.csv"'
check "ml-1m folder: every validation item is warm" '"$py" -c "
import csv, sys
d = sys.argv[1]
val = {r[\"ITEM_ID\"] for r in csv.DictReader(open(d + \"/validation_interaction.csv\"))}
cold = {r[\"ITEM_ID\"] for r in csv.DictReader(open(d + \"/coldstart_interaction.csv\"))}
sys.exit(1 if val & cold else 0)" "$work/ml-out"'
check "ml-1m folder: activity statistics" '[ "$(json "$work/ml.json" activity whole min)" = 20 ] && [ "$(json "$work/ml.json" activity whole max)" = 26 ]'

# Personalize-format CSV with bad rows.
printf 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\r\nu1,i1,100,click\r\nu1,i2,abc,click\r\n\r\nu2,i1,101,click\r\nu2,i3\r\n' > "$work/in.csv"
printf 'ITEM_ID,GENRE\ni1,A|B\ni2,B\n' > "$work/items.csv"
"$cli" prepare --source csv --input "$work/in.csv" --out "$work/csv-out" > "$work/csv.out" 2> "$work/csv.err"
rc=$?
check "csv: a bad row stops with exit 1" '[ $rc -eq 1 ]'
check "csv: the error names file, line and column" 'grep -q "in.csv, line 3, column 3 (TIMESTAMP): “abc” is not a whole number of seconds" "$work/csv.err"'
check "csv: nothing written after an error" '[ ! -e "$work/csv-out" ]'
"$cli" prepare --source csv --input "$work/in.csv" --items "$work/items.csv" --out "$work/csv-out" --skip-bad-rows --json > "$work/csv.json" 2> "$work/csv.err"
rc=$?
check "csv: --skip-bad-rows counts the skipped rows" '[ "$(json "$work/csv.json" skipped_rows)" = 2 ] && [ "$(json "$work/csv.json" interactions)" = 2 ]'
check "csv: items CSV genres are written" 'grep -q "^i1,A|B$" "$work/csv-out/training_item.csv"'

# A time outside 1970 .. 9999 (issue 13, item 2): refused with file, line
# and column; evaluate once aborted (exit 133) on what prepare let through.
printf 'USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,100\nu1,i2,-9223372036854775808\nu2,i1,101\n' > "$work/time.csv"
"$cli" prepare --source csv --input "$work/time.csv" --out "$work/time-out" > /dev/null 2> "$work/time.err"
rc=$?
check "csv: an absurd TIMESTAMP stops with exit 1" '[ $rc -eq 1 ]'
check "csv: the time error names file, line and column" 'grep -q "time.csv, line 3, column 3 (TIMESTAMP): -9223372036854775808 is not a time between 1970 and the year 9999" "$work/time.err"'

# Usage errors.
"$cli" prepare --out "$work/x" > /dev/null 2>&1
rc=$?
check "no --source is a usage error (2)" '[ $rc -eq 2 ]'
"$cli" prepare --source synthetic > /dev/null 2>&1
rc=$?
check "no --out is a usage error (2)" '[ $rc -eq 2 ]'
"$cli" prepare --source synthetic --out "$work/x" --holdout-fraction 2 > /dev/null 2>&1
rc=$?
check "a fraction above 1 is a usage error (2)" '[ $rc -eq 2 ]'
"$cli" prepare --source ml-1m --input "$work/nothing-here" --out "$work/x" > /dev/null 2> "$work/missing.err"
rc=$?
check "a folder without the dataset fails and says so" '[ $rc -eq 1 ] && grep -q "has no ratings.dat" "$work/missing.err"'
exit $fail
