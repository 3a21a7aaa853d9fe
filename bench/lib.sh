# Shell helpers the benchmark scripts source (bash only).

# Waits (up to 30 s) until FILE has a line matching REGEX while process PID lives; prints that
# line. On failure prints FILE to stderr and returns 1.
wait_for_line() {
    local file=$1 regex=$2 pid=$3 line
    for _ in $(seq 1 300); do
        line=$(grep -m1 -E "$regex" "$file" 2>/dev/null || true)
        if [[ -n "$line" ]]; then echo "$line"; return 0; fi
        kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; return 1; }
        sleep 0.1
    done
    cat "$file" >&2
    return 1
}
