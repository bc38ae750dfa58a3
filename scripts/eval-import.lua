-- Scores drafts of `tally import` against hand-coded records, field by field:
--   tally run scripts/eval-import.lua --data REFERENCE.csv DRAFT.csv [DRAFT2.csv ...] [--names "text,pdf"]
-- Items are paired in order by their titles (words in common); a reference item
-- with no partner counts as missed in every field.
local tally = require "tally"
local csv = require "import.csv"
local fold = tally.import.fold

local paths = tally.args.data
assert(#paths >= 2, "usage: eval-import.lua --data REFERENCE.csv DRAFT.csv [DRAFT...]")
local names = {}
for n in (tally.args.names or ""):gmatch("[^,]+") do names[#names + 1] = n end

local function read(path)
	local recs, err = csv.read(path)
	if not recs then error(err, 0) end
	return recs
end

local function words(s)
	local set = {}
	for w in fold(s or ""):gmatch("[%w#']+") do if #w > 2 then set[w] = true end end
	return set
end

local function similar(a, b)
	local n, both = 0, 0
	for w in pairs(a) do n = n + 1; if b[w] then both = both + 1 end end
	for w in pairs(b) do if not a[w] then n = n + 1 end end
	return n > 0 and both / n or 0
end

-- Pairs reference items with draft items: in order, by title similarity.
local function pair(ref, draft)
	local used, pairs_ = {}, {}
	for i, r in ipairs(ref) do
		local rw, best, score = words(r.title), nil, 0.45
		for j, d in ipairs(draft) do
			if not used[j] then
				local s = similar(rw, words(d.title))
				if s > score then best, score = j, s end
			end
		end
		if best then used[best] = true; pairs_[i] = draft[best] end
	end
	return pairs_
end

local function set(s)
	local t = {}
	for v in (s or ""):gmatch("[^;]+") do t[v] = true end
	return t
end

local function month(d)
	return (d or ""):match("^(%d%d%d%d%-%d%d)") or (d or ""):match("^(%d%d%d%d%-Q%d)") or d
end

local function score(ref, draft)
	local p = pair(ref, draft)
	local s = {items = 0, kind = 0, month = 0, date = 0, dimension = 0, event_type = 0, format = 0, lead = 0,
	           tp = 0, fp = 0, fn = 0, extra = #draft}
	for i, r in ipairs(ref) do
		local d = p[i]
		local rc = set(r.countries)
		if d then
			s.items = s.items + 1
			s.extra = s.extra - 1
			if d.kind == r.kind then s.kind = s.kind + 1 end
			if month(d.date) == month(r.date) then s.month = s.month + 1 end
			if d.date == r.date then s.date = s.date + 1 end
			for _, f in ipairs({"dimension", "event_type", "format", "lead"}) do
				if d[f] == r[f] then s[f] = s[f] + 1 end
			end
			local dc = set(d.countries)
			for c in pairs(dc) do if rc[c] then s.tp = s.tp + 1 else s.fp = s.fp + 1 end end
			for c in pairs(rc) do if not dc[c] then s.fn = s.fn + 1 end end
		else
			for _ in pairs(rc) do s.fn = s.fn + 1 end
		end
	end
	s.p = s.tp + s.fp > 0 and s.tp / (s.tp + s.fp) or 0
	s.r = s.tp + s.fn > 0 and s.tp / (s.tp + s.fn) or 0
	s.f1 = s.p + s.r > 0 and 2 * s.p * s.r / (s.p + s.r) or 0
	return s
end

local ref = read(paths[1])
local N = #ref
local results = {}
for k = 2, #paths do results[#results + 1] = score(ref, read(paths[k])) end

local rows = {
	{"items found (kind right)", function(s) return ("%d/%d (%d)"):format(s.items, N, s.kind) end},
	{"items not in reference", function(s) return tostring(s.extra) end},
	{"month", function(s) return ("%d/%d"):format(s.month, N) end},
	{"date (exact)", function(s) return ("%d/%d"):format(s.date, N) end},
	{"countries precision", function(s) return ("%.3f"):format(s.p) end},
	{"countries recall", function(s) return ("%.3f"):format(s.r) end},
	{"countries F1", function(s) return ("%.3f"):format(s.f1) end},
	{"dimension", function(s) return ("%d/%d"):format(s.dimension, N) end},
	{"event type", function(s) return ("%d/%d"):format(s.event_type, N) end},
	{"format", function(s) return ("%d/%d"):format(s.format, N) end},
	{"lead", function(s) return ("%d/%d"):format(s.lead, N) end},
}
local head = {("%-26s"):format("field (of " .. N .. " reference items)")}
for k = 2, #paths do head[#head + 1] = ("%14s"):format(names[k - 1] or paths[k]:match("([^/]+)$")) end
print(table.concat(head, " "))
for _, r in ipairs(rows) do
	local line = {("%-26s"):format(r[1])}
	for _, s in ipairs(results) do line[#line + 1] = ("%14s"):format(r[2](s)) end
	print(table.concat(line, " "))
end
if tally.args.verbose then
	for k = 2, #paths do
		local draft = read(paths[k])
		local p = pair(ref, draft)
		for i, r in ipairs(ref) do
			local d = p[i]
			if not d then print(("MISSING %s %s"):format(r.id, r.title))
			else
				for _, f in ipairs({"date", "countries", "dimension", "event_type", "format", "lead", "kind"}) do
					if d[f] ~= r[f] then print(("%s %-12s want %-28s got %s"):format(r.id, f, r[f], d[f])) end
				end
			end
		end
	end
end
