-- Print the run's figures as one line of JSON that bench_site reads:
-- exact percentiles instead of the rounded ones of wrk's --latency table.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, '
      .. '"p99_us": %d, "socket_errors": %d, "status_errors": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(99)),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
