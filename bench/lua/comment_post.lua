-- POST the comment form. Arguments: a token unique to this run, and the file holding
-- the form's other fields, urlencoded. Each request sends a different comment text,
-- so the duplicate check never answers in place of the whole comment path.
local started = 0

setup = function(thread)
  started = started + 1
  thread:set("thread_number", started)
end

init = function(args)
  run_token = args[1]
  local file = assert(io.open(args[2], "r"))
  form = file:read("*a")
  file:close()
  sent = 0
end

request = function()
  sent = sent + 1
  local text = string.format("Benchmark+comment+%s-%d-%d", run_token, thread_number, sent)
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"},
    form .. "&comment=" .. text)
end
