-- Readers going round a list of pages, counting the page cache's answers.
-- Argument: a file with one path per line. Each thread starts at its own place in
-- the list; done() prints the X-Page-Cache counts of all threads as one JSON line.
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads)
end

init = function(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(paths, line) end
  end
  position = offset
  hits, misses, other = 0, 0, 0
end

request = function()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

response = function(status, headers, body)
  local answer = headers["X-Page-Cache"] or headers["x-page-cache"]
  if answer == "hit" then
    hits = hits + 1
  elseif answer == "miss" then
    misses = misses + 1
  else
    other = other + 1
  end
end

local report = done
done = function(summary, latency, requests)
  report(summary, latency, requests)
  local hit, miss, none = 0, 0, 0
  for _, thread in ipairs(threads) do
    hit = hit + thread:get("hits")
    miss = miss + thread:get("misses")
    none = none + thread:get("other")
  end
  io.write(string.format('BENCH_CACHE {"hit": %d, "miss": %d, "other": %d}\n', hit, miss, none))
end
