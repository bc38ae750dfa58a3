-- The bundled importer: a CICA Digest issue (PDF or text) or press releases
-- (.txt, .html) -> records of the digest schema, coded by the rules of
-- data/README.md, with the evidence for every cell and a review loop.
-- `tally import` runs it; its rules and cue lexicons live in plugins/import/.
local tally = require "tally"
local parse = require "import.parse"
local code = require "import.code"
local lex = require "import.lexicon"
local csv = require "import.csv"
local fold = tally.import.fold

local FIELDS = {"id", "date", "title", "dimension", "countries", "organizations", "event_type", "format",
	"lead", "participants", "kind"}
local REVIEW = {"id", "field", "value", "confidence", "evidence", "source", "line", "headline"}

local function fail(fmt, ...)
	tally.import.fail(fmt:format(...))
end

local function basename(p) return p:match("([^/]+)$") or p end

-- The issue's year and quarter: --issue, else the year most dates in the text
-- give and the quarter of the first month section.
local function infer_issue(text, items)
	local years = {}
	for y in text:gmatch("%f[%d](20%d%d)%f[%D]") do years[y] = (years[y] or 0) + 1 end
	local best, n = nil, 0
	for y, c in pairs(years) do if c > n or (c == n and y > best) then best, n = y, c end end
	local month
	for _, it in ipairs(items) do if it.month then month = it.month; break end end
	return best and tonumber(best), month and (month - 1) // 3 + 1
end

-- Reads every input into items, in order.
local function read_items(ctx, args, files)
	local all, warnings = {}, {}
	local issue_year, issue_q
	if args.issue then
		local y, q = args.issue:match("^(%d%d%d%d)%-?Q([1-4])$")
		issue_year, issue_q = tonumber(y), tonumber(q)
	end
	for _, path in ipairs(files) do
		local doc = tally.import.read(path)
		local english, share = code.english(doc.text)
		if not english then
			ctx.log(("warning: %s does not read as English (%.0f%% common English words); "
			        .. "the coding rules are for English text"):format(path, share * 100))
		end
		local as = args.as
		if not as then as = (doc.format ~= "html" and parse.is_digest(doc.text)) and "digest" or "release" end
		if as == "digest" then
			local items, photos, toc, counts = parse.digest(doc.text, path)
			if #items == 0 then
				fail("%s: no articles found: no month sections (\"April\", \"May\" ...) with text under them", path)
			end
			local y, q = infer_issue(doc.text, items)
			issue_year, issue_q = issue_year or y, issue_q or q
			for m, n in pairs(toc) do
				if counts[m] ~= n then
					ctx.log(("warning: %s: the contents list %d items for month %d, the issue has %d articles")
					        :format(path, n, m, counts[m] or 0))
				end
			end
			for _, it in ipairs(items) do all[#all + 1] = it end
			for _, it in ipairs(photos) do all[#all + 1] = it end
		else
			local it = parse.release(doc.text, path)
			if not it or #it.paras == 0 then
				fail("%s: no press release: a headline on the first line and the body below it", path)
			end
			it.release = true
			all[#all + 1] = it
		end
	end
	return all, issue_year, issue_q
end

-- Codes the items; for releases the issue comes from --issue or the first date.
local function code_items(items, year, q)
	local coded = {}
	for _, it in ipairs(items) do
		local cells = code.code(it, {year = year, quarter = q, release = it.release})
		coded[#coded + 1] = {item = it, cells = cells}
	end
	if not (year and q) then
		-- the quarter most of the items' days fall in
		local n, best = {}, 0
		for _, c in ipairs(coded) do
			local y, m = c.cells.date.value:match("^(%d%d%d%d)%-(%d%d)")
			if y then
				local k = y * 10 + (tonumber(m) - 1) // 3 + 1
				n[k] = (n[k] or 0) + 1
				if n[k] > best or (n[k] == best and k < year * 10 + q) then best, year, q = n[k], tonumber(y), k % 10 end
			end
		end
	end
	return coded, year, q
end

-- The machine's values of an earlier run, from its review file.
local function read_review(path)
	local recs, err = csv.read(path)
	if not recs then return nil, err end
	local machine, source = {}, {}
	for _, r in ipairs(recs) do
		machine[r.id] = machine[r.id] or {}
		machine[r.id][r.field] = r.value
		source[r.id] = {source = r.source, headline = r.headline}
	end
	return machine, source
end

-- --merge: the reviewed draft's rows keep their ids and order; a cell a person
-- changed (it differs from what the machine proposed last time) stays theirs;
-- new items follow; items the inputs no longer hold are reported and kept.
local function merge(ctx, args, coded, prefix)
	local rows, err = csv.read(args.merge)
	if not rows then fail("cannot read %s: %s", args.merge, err) end
	local machine, source = read_review(args.merge_review)
	if not machine then
		fail("%s: cannot tell a person's edits without the review file the import wrote beside it (%s)",
		     args.merge, args.merge_review)
	end
	local by_key, used = {}, {}
	for k, c in ipairs(coded) do
		local key = fold(c.item.headline)
		by_key[key] = by_key[key] or {}
		table.insert(by_key[key], k)
	end
	local out, maxn = {}, 0
	for _, row in ipairs(rows) do
		local src = source[row.id]
		local match
		if src then
			local cands = by_key[fold(src.headline or "")] or {}
			for _, k in ipairs(cands) do
				if not used[k] and basename(coded[k].item.source) == basename(src.source or "") then match = k; break end
			end
			if not match then for _, k in ipairs(cands) do if not used[k] then match = k; break end end end
		end
		local n = tonumber(row.id:match("%-(%d+)$") or "")
		if n and n > maxn then maxn = n end
		if match then
			used[match] = true
			local c = coded[match]
			c.id = row.id
			c.kept = {}
			for _, f in ipairs(FIELDS) do
				if f ~= "id" and c.cells[f] then
					local old = machine[row.id] and machine[row.id][f]
					if old ~= nil and row[f] ~= old then
						c.kept[f] = row[f]
					end
				end
			end
			out[#out + 1] = c
		else
			ctx.log(("%s: %s is no longer found in the inputs (\"%s\"); kept as reviewed")
			        :format(args.merge, row.id, src and src.headline or row.title))
			out[#out + 1] = {row = row, id = row.id, old = machine[row.id], src = src}
		end
	end
	for k, c in ipairs(coded) do
		if not used[k] then
			maxn = maxn + 1
			c.id = ("%s-%03d"):format(prefix, maxn)
			ctx.log(("new item %s: %s"):format(c.id, c.item.headline))
			out[#out + 1] = c
		end
	end
	return out
end

local function write(path, text)
	local f = assert(io.open(path, "w"))
	f:write(text)
	f:close()
end

return {
	name = "digest-import",
	description = "CICA Digest issues and press releases to coded records (tally import)",
	kind = "importer",
	run = function(ctx, args)
		local files = {}
		for i = 1, #args do files[i] = args[i] end
		if #files == 0 or not args.output then
			error("digest-import runs through `tally import FILE... -o DRAFT.csv`", 0)
		end
		lex.load(args.aliases)
		local threshold = tonumber(args.threshold or "0.6") or 0.6
		local items, year, q = read_items(ctx, args, files)
		local coded
		coded, year, q = code_items(items, year, q)
		if not (year and q) then
			fail("%s: no date in the text to tell the issue; give --issue 2023Q2", files[1])
		end
		local prefix = ("%04dQ%d"):format(year, q)
		local list
		if args.merge then
			list = merge(ctx, args, coded, prefix)
		else
			list = coded
			for k, c in ipairs(list) do c.id = ("%s-%03d"):format(prefix, k) end
		end
		local out = {table.concat(FIELDS, ",") .. "\n"}
		local rev = {table.concat(REVIEW, ",") .. "\n"}
		local toreview = {}
		for _, c in ipairs(list) do
			if c.row then   -- kept from the reviewed draft, not found again
				local vals = {}
				for k, f in ipairs(FIELDS) do vals[k] = c.row[f] end
				out[#out + 1] = csv.line(vals)
				for _, f in ipairs(FIELDS) do
					if f ~= "id" and c.old and c.old[f] then
						rev[#rev + 1] = csv.line({c.id, f, c.old[f], "", "not found again; kept as reviewed",
						                          c.src and c.src.source or "", "", c.src and c.src.headline or ""})
					end
				end
			else
				local vals = {c.id}
				for k = 2, #FIELDS do
					local f = FIELDS[k]
					local cell = c.cells[f]
					local v = cell.value
					if c.kept and c.kept[f] ~= nil then v = c.kept[f] end
					vals[k] = v
					rev[#rev + 1] = csv.line({c.id, f, cell.value, ("%.2f"):format(cell.conf),
					                          (c.kept and c.kept[f] ~= nil) and ("a person's edit kept (\"" .. c.kept[f] .. "\"); machine: " .. cell.evidence) or cell.evidence,
					                          c.item.source, cell.line, c.item.headline})
					if cell.conf < threshold and not (c.kept and c.kept[f] ~= nil) then
						toreview[#toreview + 1] = ("%s:%d: %s %s = \"%s\" (confidence %.2f: %s)")
							:format(c.item.source, cell.line or c.item.line, c.id, f, cell.value, cell.conf, cell.evidence)
					end
				end
				out[#out + 1] = csv.line(vals)
			end
		end
		write(args.output, table.concat(out))
		write(args.review, table.concat(rev))
		for _, line in ipairs(toreview) do ctx.log("to review: " .. line) end
		ctx.log(("%d records in %s (%d cells to review); evidence in %s")
		        :format(#list, args.output, #toreview, args.review))
	end,
}
