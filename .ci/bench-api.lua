-- Traffic that varies as real clients' does, for .ci/bench-api: every
-- request draws its own page, range or key, so neither server's caches
-- (Ferrobase's count cache, PostgreSQL's plan cache, the OS page cache)
-- see one repeated URL. BENCH_SERVER is `ferrobase` or `postgrest`,
-- BENCH_WORKLOAD one of:
--   page      a random page 1–500 of 20 rows sorted by id
--   simple    the same without counting (Ferrobase's simplePaginate)
--   range     qty > a AND qty < b for a random a and b, a random page 1–5
--   get       a random key 1–10,000
local server = os.getenv("BENCH_SERVER")
local workload = os.getenv("BENCH_WORKLOAD")
assert(server == "ferrobase" or server == "postgrest", "BENCH_SERVER")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  -- Different draws per thread and per run.
  math.randomseed(os.time() * 1000 + thread_number * 7919)
end

-- {"$and":[{"qty":{"$gt":A}},{"qty":{"$lt":B}}]}, URL-encoded.
local function range_filter(a, b)
  return "%7B%22%24and%22%3A%5B%7B%22qty%22%3A%7B%22%24gt%22%3A" .. a ..
    "%7D%7D%2C%7B%22qty%22%3A%7B%22%24lt%22%3A" .. b .. "%7D%7D%5D%7D"
end

local paths = {
  ferrobase = {
    page = function(page) return "/api/items:list?pageSize=20&sort=id&page=" .. page end,
    simple = function(page)
      return "/api/items:list?pageSize=20&sort=id&simplePaginate=true&page=" .. page
    end,
    range = function(page, a, b)
      return "/api/items:list?pageSize=20&sort=id&page=" .. page .. "&filter=" .. range_filter(a, b)
    end,
    get = function(key) return "/api/items:get?filterByTk=" .. key end,
  },
  postgrest = {
    page = function(page) return "/items?limit=20&order=id&offset=" .. (page - 1) * 20 end,
    range = function(page, a, b)
      return "/items?limit=20&order=id&offset=" .. (page - 1) * 20 .. "&qty=gt." .. a .. "&qty=lt." .. b
    end,
    get = function(key) return "/items?id=eq." .. key end,
  },
}
local path = assert(paths[server][workload], "BENCH_WORKLOAD")

function request()
  if workload == "range" then
    -- qty holds 0–99: a range 2–31 wide matches 1–30 % of the rows.
    local a = math.random(0, 90)
    return wrk.format(nil, path(math.random(1, 5), a, a + math.random(2, 31)))
  elseif workload == "get" then
    return wrk.format(nil, path(math.random(1, 10000)))
  end
  return wrk.format(nil, path(math.random(1, 500)))
end
