-- The coding rules of data/README.md, one function per column. Each returns
-- the value, a confidence (0..1), the evidence (the words that decided it) and
-- the line of the source text they stand on.
--
-- An item is {headline =, line =, paras = {{text =, line =}...}, month =, kind =}.
-- Its text is read in units: the headline (unit 0) and the paragraphs' sentences.
local tally = require "tally"
local lex = require "import.lexicon"
local fold = tally.import.fold

local M = {}

local MONTHS = {
	january = 1, february = 2, march = 3, april = 4, may = 5, june = 6, july = 7, august = 8,
	september = 9, october = 10, november = 11, december = 12,
	jan = 1, feb = 2, mar = 3, apr = 4, jun = 6, jul = 7, aug = 8, sep = 9, sept = 9, oct = 10,
	nov = 11, dec = 12,
}

------------------------------------------------------------------ text units

-- Abbreviations after which a full stop does not end a sentence.
local ABBR = {}
for w in ("mr ms mrs dr h.e e st no prof amb gen col jr sr vs etc e.g i.e md u.s u.k co ltd inc"):gmatch("%S+") do
	ABBR[w] = true
end

local function sentences(text)
	local out, start = {}, 1
	for stop, nxt in text:gmatch("()[%.!?][\"”»']?%s+()[%u%d\"“«]") do
		local before = text:sub(start, stop - 1):match("([%w%.]+)$") or ""
		local b = before:lower()
		if not (ABBR[b] or #before == 1 or before:match("^%u$") or b:match("%.%a$")) then
			out[#out + 1] = text:sub(start, nxt - 1):gsub("%s+$", "")
			start = nxt
		end
	end
	local rest = text:sub(start):gsub("^%s+", "")
	if rest ~= "" then out[#out + 1] = rest end
	return out
end
M.sentences = sentences

-- The units of an item: {text =, f = folded, para = 0 (headline) | n, line =}.
function M.units(item)
	local u = {{text = item.headline, f = fold(item.headline), para = 0, line = item.line}}
	for i, p in ipairs(item.paras) do
		for _, s in ipairs(sentences(p.text)) do
			u[#u + 1] = {text = s, f = fold(s), para = i, line = p.line}
		end
	end
	return u
end

-- The first paragraph holds the news; a dateline alone is too short to, so the
-- lead then runs into the second.
local function lead_paras(item)
	local p1 = item.paras[1]
	if p1 and #p1.text < 80 and item.paras[2] then return 2 end
	return 1
end

local function excerpt(s, from, to)
	from, to = math.max(1, from or 1), math.min(#s, to or #s)
	local e = s:sub(from, to):gsub("%s+", " ")
	if #e > 90 then e = e:sub(1, 87) .. "..." end
	return e
end

----------------------------------------------------------------------- date

-- Words that put a date on something other than the item's own activity: the
-- next meeting, an earlier event, a founding, a deadline.
local ELSEWHERE = {}
for w in ([[next will would upcoming forthcoming scheduled planned plans plan earlier previous
	previously last ago inaugurated founded established adopted since started began which recalled
	recalling anniversary until till announced expected due future]]):gmatch("%S+") do
	ELSEWHERE[w] = true
end

-- Words that put the whole sentence in the future: "on 22 April, ... will hold".
local FUTURE = {will = true, upcoming = true, forthcoming = true, scheduled = true, next = true}

local function y4(s) local n = tonumber(s); return n and n >= 1990 and n <= 2100 and n or nil end

-- Every date in a folded sentence: {pos =, day =, month =, year =, text =}.
local function find_dates(f)
	local out = {}
	local function add(pos, day, mon, year, stop)
		local m = MONTHS[mon]
		day = tonumber(day)
		if m and day and day >= 1 and day <= 31 then
			out[#out + 1] = {pos = pos, day = day, month = m, year = y4(year), text = f:sub(pos, stop - 1)}
		end
	end
	-- "from 10 to 14 april 2023", "10-14 april", "10 and 11 april"
	for pos, d, mon, rest in f:gmatch("()%f[%d](%d%d?)%s*[-/]%s*%d%d?%s+(%a+)()") do add(pos, d, mon, nil, rest) end
	for pos, d, mon, rest in f:gmatch("()from%s+(%d%d?)%s+to%s*%d%d?%s+(%a+)()") do add(pos, d, mon, nil, rest) end
	for pos, d, mon, rest in f:gmatch("()%f[%d](%d%d?)%s+and%s+%d%d?%s+(%a+)()") do add(pos, d, mon, nil, rest) end
	-- "11 april 2023", "11 april"
	for pos, d, mon, rest in f:gmatch("()%f[%d](%d%d?)%s+(%a+)()") do add(pos, d, mon, nil, rest) end
	-- "april 11, 2023"
	for pos, mon, d, rest in f:gmatch("()%f[%a](%a+)%s+(%d%d?)%f[%D]()") do add(pos, d, mon, nil, rest) end
	-- "11.04.2023"
	for pos, d, m, y, rest in f:gmatch("()%f[%d](%d%d?)%.(%d%d)%.(%d%d%d%d)()") do
		local mm = tonumber(m)
		if mm >= 1 and mm <= 12 then
			out[#out + 1] = {pos = pos, day = tonumber(d), month = mm, year = y4(y), text = f:sub(pos, rest - 1)}
		end
	end
	-- the year after the month, when written
	for _, d in ipairs(out) do
		if not d.year then
			local after = f:sub(d.pos + #d.text, d.pos + #d.text + 8)
			d.year = y4(after:match("^,?%s*(%d%d%d%d)"))
		end
	end
	-- one date per place: the earliest match at a position, ranges first
	table.sort(out, function(a, b) return a.pos < b.pos end)
	local uniq, last = {}, -100
	for _, d in ipairs(out) do
		if d.pos > last + 2 then uniq[#uniq + 1] = d; last = d.pos + #d.text end
	end
	return uniq
end
M.find_dates = find_dates

local function valid_day(y, m, d)
	local dim = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if m == 2 and (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) then dim[2] = 29 end
	return d <= dim[m]
end

-- A dateline opens a release: "12 March 2024 - Astana -", "ASTANA, 12 March 2024 -".
function M.dateline(item)
	local p = item.paras[1]
	if not p then return nil end
	local f = fold(p.text):sub(1, 80)
	for _, d in ipairs(find_dates(f)) do
		if d.pos <= 30 and d.year then return d, p end
	end
	return nil
end

-- ctx: {year =, quarter =, release = bool}
function M.date(item, units, ctx)
	local dl = ctx.release and M.dateline(item)
	local year = dl and dl.year or ctx.year
	if not year and ctx.release then
		-- a release without a dateline: the year its text gives most often
		local n = {}
		for _, u in ipairs(units) do
			for y in u.f:gmatch("%f[%d](20%d%d)%f[%D]") do n[y] = (n[y] or 0) + 1 end
		end
		local best = 0
		for y, c in pairs(n) do if c > best then year, best = tonumber(y), c end end
	end
	local q = ctx.quarter
	for _, u in ipairs(units) do
		for _, d in ipairs(find_dates(u.f)) do
			local y = d.year or year
			-- the dateline itself is the fallback below, not the activity's day
			if dl and u.para == 1 and d.pos <= 30 then y = nil end
			-- the clause before the date must not put it elsewhere
			local clause = u.f:sub(1, d.pos - 1):match("([^,;]*)$") or ""
			local bad
			for w in clause:gmatch("%a+") do
				if ELSEWHERE[w] then bad = w end
			end
			for w in u.f:gmatch("%a+") do
				if FUTURE[w] then bad = w end
			end
			local ok = y and not bad and valid_day(y, d.month, d.day)
			if ok and q and not ctx.release then
				-- a Digest item: in the issue's quarter, and in its section's month
				-- or the month before (printed late)
				local dq = (d.month - 1) // 3 + 1
				ok = y == year and dq == q and (not item.month or d.month == item.month or d.month == item.month - 1)
			end
			if ok and dl and (u.para ~= 1 or d.pos > 30) then
				-- a release: the activity's day is not after the dateline
				ok = y * 400 + d.month * 32 + d.day <= dl.year * 400 + dl.month * 32 + dl.day
			end
			if ok then
				local conf = (u.para <= 1 and 0.9 or 0.75) * (d.year and 1 or 0.95)
				return ("%04d-%02d-%02d"):format(y, d.month, d.day), conf,
				       excerpt(u.text, 1, 90), u.line
			end
		end
	end
	if dl then
		return ("%04d-%02d-%02d"):format(dl.year, dl.month, dl.day), 0.8, "dateline: " .. dl.text, item.paras[1].line
	end
	if item.kind == "photo" and year and q then
		return ("%04d-Q%d"):format(year, q), 0.8, "photo caption without a date: the issue's quarter", item.line
	end
	if item.month and year then
		return ("%04d-%02d"):format(year, item.month), 0.7, "no day in the text: the section's month", item.line
	end
	if year and q then
		return ("%04d-Q%d"):format(year, q), 0.4, "no date in the text: the issue's quarter", item.line
	end
	return nil, 0, "no date found", item.line
end

------------------------------------------------------------------ countries

local fcache = {}
local function ffold(w)
	local f = fcache[w]
	if not f then f = fold(w); fcache[w] = f end
	return f
end

-- Words of a sentence with their places in it and their folded forms.
local function tokens(s)
	local t = {}
	for from, w in s:gmatch("()([%w\128-\255#][%w\128-\255'’%.%-&#]*)") do
		w = w:gsub("[%.%-'’]+$", "")
		local poss = w:match("['’]s$")
		if poss then w = w:sub(1, -3):gsub("['’]$", "") end
		if w ~= "" then
			local first = w:sub(1, 1)
			t[#t + 1] = {w = w, f = ffold(w), from = from, to = from + #w - 1, poss = poss and true,
			             cap = first:match("[%u\128-\255#]") ~= nil}
		end
	end
	return t
end

local OFFICIAL = {}
for w in ([[minister ministry ministers ambassador ambassadors embassy president presidents government
	parliament deputy akim akimat akimats mfa foreign head representative representatives delegation
	chairman speaker prime king emir consul consulate director department senate mission side
	authorities defence defense secretary chamber office administration vice counterparts counterpart
	leadership officials diplomatic constitution]]):gmatch("%S+") do
	OFFICIAL[w] = true
end
local FILLER = {the = true, republic = true, of = true, state = true, kingdom = true, city = true,
	islamic = true, ["people's"] = true, people = true, federation = true, sultanate = true, democratic = true,
	socialist = true, federal = true, capital = true, ["arab"] = true}
local ADVERBIAL = {on = true, ["in"] = true, the = true, at = true, today = true, yesterday = true,
	also = true, this = true, week = true, month = true, year = true, early = true, late = true}
local PLACE_CUE = {["in"] = true, to = true, visited = true, visit = true, visits = true, at = true,
	arrived = true, hosted = true}
local ORGANISE = {"organi[sz]ed", "convened", "hosted", "held", "conducted", "co%-organi[sz]ed", "organi[sz]es",
	"hosts", "holds", "convenes"}

local NOT_PLACE = {}
for w in ([[chairmanship chair ocean document declaration convention process principles spirit
	agreement protocol initiative club group format treaty charter consensus]]):gmatch("%S+") do
	NOT_PLACE[w] = true
end

-- Country mentions of one unit's text: {name =, i =, n =, from =, to =, kind =}.
local function mentions(toks)
	local out = {}
	local i = 1
	while i <= #toks do
		local found
		if toks[i].cap then
			for n = math.min(5, #toks - i + 1), 1, -1 do
				local parts = {}
				for k = i, i + n - 1 do parts[#parts + 1] = toks[k].f end
				local key = table.concat(parts, " ")
				local name = lex.countries[key]
				local kind = "country"
				if not name and (n > 1 or #key >= 4) then name = lex.places[key]; kind = "place" end
				if name then
					found = {name = name, i = i, n = n, from = toks[i].from, to = toks[i + n - 1].to, kind = kind,
					         key = key}
					break
				end
			end
		end
		if found then
			local nxt = toks[found.i + found.n]
			-- "Kazakh Chairmanship" is CICA's chair, "Indian Ocean" no country,
			-- "Vienna Document" a text named after a place
			if not (nxt and NOT_PLACE[nxt.f]) then
				out[#out + 1] = found
			end
			i = found.i + found.n
		else
			i = i + 1
		end
	end
	return out
end

-- Marks mentions that stand in a list of three or more countries ("from
-- Azerbaijan, Bangladesh, Cambodia ..."): attendees, not counterparts.
local function mark_lists(text, ms)
	local group = {}
	local function flush()
		if #group >= 3 then for _, m in ipairs(group) do m.list = true end end
		group = {}
	end
	for k, m in ipairs(ms) do
		if #group > 0 then
			local gap = fold(text:sub(ms[k - 1].to + 1, m.from - 1))
			local rest = gap:gsub("[,%s]", " "):gsub("%f[%a]and%f[%A]", ""):gsub("%f[%a]the%f[%A]", "")
			                :gsub("%f[%a]republic%f[%A]", ""):gsub("%f[%a]of%f[%A]", ""):gsub("%f[%a]state%f[%A]", "")
			                :gsub("%f[%a]kingdom%f[%A]", "")
			if not (gap:find(",") or gap:find("and")) or rest:find("%S") then flush() end
		end
		group[#group + 1] = m
	end
	flush()
end

-- Why a body mention counts, or nil: the place of the activity, an official's
-- country, the organiser.
local function role(toks, m, f)
	local j = m.i - 1
	local saw_of = false
	while j >= 1 and FILLER[toks[j].f] do
		saw_of = saw_of or toks[j].f == "of"
		j = j - 1
	end
	local cue = toks[j] and toks[j].f
	if cue and PLACE_CUE[cue] then return "place (" .. cue .. ")" end
	-- a dateline: "ASTANA, 12 March 2024 -", "12 March 2024 - Astana -"
	if m.i <= 6 and f:sub(1, 40):find("%d%d?%s+%a+%s+%d%d%d%d") then return "dateline" end
	if saw_of then
		for k = math.max(1, m.i - 8), m.i - 1 do
			if OFFICIAL[toks[k].f] then return "counterpart (" .. toks[k].f .. " of)" end
		end
	end
	local nxt = toks[m.i + m.n]
	local nxt2 = toks[m.i + m.n + 1]
	if nxt and (OFFICIAL[nxt.f] or (nxt2 and OFFICIAL[nxt2.f] and (nxt.f == "foreign" or nxt.f == "diplomatic"))) then
		return "counterpart (" .. m.key .. " " .. nxt.f .. ")"
	end
	if cue == "with" and toks[j - 1] and (toks[j - 1].f == "collaboration" or toks[j - 1].f == "together"
	   or toks[j - 1].f == "jointly" or toks[j - 1].f == "cooperation" or toks[j - 1].f == "partnership") then
		return "co-organiser (" .. toks[j - 1].f .. " with)"
	end
	-- the sentence's subject organised it: "India ... convened an online workshop",
	-- "On 14 March, Pakistan ... convened"
	local opening = true
	for k = 1, m.i - 1 do
		local t = toks[k].f
		if not (ADVERBIAL[t] or MONTHS[t] or t:match("^%d+$")) then opening = false; break end
	end
	if opening then
		for _, v in ipairs(ORGANISE) do
			if f:find("%f[%a]" .. v .. "%f[%A]") then return "organiser" end
		end
	end
	return nil
end

local HQ = {"cica headquarters", "headquarters of cica", "cica secretariat hosts", "cica secretariat hosted",
	"secretariat hosted", "hosted by the cica secretariat", "at the secretariat", "cica secretariat held",
	"at the cica secretariat", "visited the cica secretariat", "premises of the cica secretariat",
	"premises of the secretariat"}

function M.countries(item, units, ctx)
	local found, order, ev = {}, {}, {}
	local lines = {}
	local function add(name, why, u, rank)
		if not found[name] then
			found[name] = rank
			order[#order + 1] = name
			ev[#ev + 1] = name .. ": " .. why
			lines[#lines + 1] = u.line
		end
	end
	local lead = lead_paras(item)
	for ui, u in ipairs(units) do
		if u.para > lead then break end
		local toks = tokens(u.text)
		local ms = mentions(toks)
		mark_lists(u.text, ms)
		for _, m in ipairs(ms) do
			if u.para == 0 then
				if not m.list then add(m.name, "headline names " .. m.key, u, ui) end
			elseif not m.list then
				local why = role(toks, m, u.f)
				if why then add(m.name, why .. " " .. m.key, u, ui) end
			end
		end
		for _, h in ipairs(HQ) do
			if u.f:find(h, 1, true) then
				local kz = lex.countries["kazakhstan"]
				add(kz, "the CICA headquarters (Astana): " .. h, u, ui)
			end
		end
	end
	local conf = #order > 0 and 0.85 or 0.5
	if #order == 0 then
		-- an event run by the Secretariat or the Chairmanship: at the seat, Astana
		local online = ctx.format and ctx.format ~= "in-person"
		local host = ctx.event_type == "multilateral-meeting" or ctx.event_type == "ceremony"
		          or ctx.event_type == "contribution" or ctx.event_type == "cultural-event"
		          or (ctx.event_type == "meeting" and not units[1].f:find("participation"))
		if online or host then
			local kz = lex.countries["kazakhstan"]
			order[1] = kz
			ev[1] = kz .. ": no place in the text; " .. (online and "an online event of the Secretariat"
			        or "a " .. ctx.event_type .. " at the Secretariat") .. " (Astana)"
			lines[1] = item.line
			conf = 0.5
		end
	end
	if #order > 3 then conf = 0.5 end
	return table.concat(order, ";"), conf, table.concat(ev, "; "), lines[1] or item.line
end

---------------------------------------------------------- cue-scored columns

-- Scores each value of a lexicon over the units. A cue counts once per item,
-- where it weighs most: x3 in the headline, x2 at the top of the story (the
-- lead and the paragraph after it: what the item is about), x1 further down;
-- so a long story that mentions something again and again in passing does not
-- outweigh its subject.
local function score(cues, units, lead)
	local best = {}
	for _, u in ipairs(units) do
		local mult = u.para == 0 and 3 or u.para <= lead + 1 and 2 or 1
		for k, c in ipairs(cues) do
			if (not best[k] or best[k].mult < mult) and u.f:find(c.pat) then
				best[k] = {mult = mult, line = u.line}
			end
		end
	end
	local s, why = {}, {}
	for k, b in pairs(best) do
		local c = cues[k]
		local add = c.weight * b.mult
		s[c.value] = (s[c.value] or 0) + add
		if not why[c.value] or add > why[c.value].add then
			why[c.value] = {add = add, cue = c.cue, line = b.line}
		end
	end
	return s, why
end

local DIMS = {
	{"military-political", {"military-political", "military political", "military and political"}},
	{"new-challenges-and-threats", {"new challenges and threats"}},
	{"economic", {"economic"}},
	{"environmental", {"environmental", "ecological"}},
	{"human", {"human"}},
}

-- "in the human dimension", "CICA Economic Dimension": the dimensions a unit names.
local function named_dims(f)
	local out = {}
	for _, d in ipairs(DIMS) do
		for _, w in ipairs(d[2]) do
			local p = w:gsub("%-", "%%-")
			if f:find(p .. "[\"”']?%s+dimensions?%f[%A]") or f:find(p .. " and %a+ dimensions")
			   or f:find("%a+ and " .. p .. " dimensions") then
				out[#out + 1] = d[1]
				break
			end
		end
	end
	return out
end

function M.dimension(item, units, ctx)
	local lead = lead_paras(item)
	-- an explicit mention of one dimension in the headline or the lead wins
	for _, u in ipairs(units) do
		if u.para > lead then break end
		local named = named_dims(u.f)
		if #named == 1 then
			return named[1], 0.9, "names the dimension: " .. excerpt(u.text), u.line
		end
	end
	local s, why = score(lex.dimension, units, lead)
	-- a dimension named further down counts as a strong cue
	for _, u in ipairs(units) do
		if u.para > lead then
			local named = named_dims(u.f)
			for _, d in ipairs(named) do
				local add = #named == 1 and 6 or 3
				s[d] = (s[d] or 0) + add
				if not why[d] or why[d].add < add then why[d] = {add = add, cue = d .. " dimension", line = u.line} end
			end
		end
	end
	-- visits and talks on CICA itself: its bodies, its transformation
	if ctx.event_type == "visit" or ctx.event_type == "statement" or ctx.event_type == "contribution" then
		s.institutional = (s.institutional or 0) + 4
	end
	local best, top, total = nil, 0, 0
	for _, d in ipairs({"institutional", "human", "economic", "environmental", "new-challenges-and-threats",
	                    "military-political"}) do
		local v = s[d] or 0
		total = total + v
		if v > top then best, top = d, v end
	end
	if not best then
		-- external relations with no thematic subject
		return "institutional", 0.4, "no subject cue: CICA's external relations", item.line
	end
	local conf = math.min(0.95, 0.35 + 0.6 * top / total)
	local w = why[best]
	return best, conf, ("cues score %d of %d, strongest \"%s\""):format(top, total, w and w.cue or "?"),
	       w and w.line or item.line
end

-- The event type: the headline's strongest cue, else the lead's, else the rest's.
function M.event_type(item, units, ctx)
	local lead = lead_paras(item)
	local zones = {{0, 0, 0.9}, {1, lead, 0.75}, {lead + 1, math.huge, 0.55}}
	for _, z in ipairs(zones) do
		local best
		for _, u in ipairs(units) do
			if u.para >= z[1] and u.para <= z[2] and not best then
				-- CICA's standing bodies are names, not events ("the CICA Business Forum")
				local f = u.f
				for _, c in ipairs(lex.event_type) do
					if c.value == "-" then f = f:gsub(c.pat, " ") end
				end
				for _, c in ipairs(lex.event_type) do
					local pos = c.value ~= "-" and f:find(c.pat)
					-- a bare "meeting" counts in the headline only for a caption
					if pos and not (z[1] == 0 and c.value == "meeting" and c.weight < 38 and item.kind ~= "photo") then
						if not best or c.weight > best.c.weight then best = {c = c, u = u} end
					end
				end
			end
		end
		-- a headline that opens with its event ("Meeting of ...", "Visit to ...") says what it was
		if z[1] == 0 then
			local f = units[1].f
			for _, c in ipairs(lex.event_type) do
				if c.value ~= "-" and f:find("^" .. c.pat) then best = {c = c, u = units[1]}; break end
			end
		end
		if best then
			local v = best.c.value
			-- a visit counts when a CICA official travels, not a guest: a guest visits the
			-- headquarters, or comes to Astana or Kazakhstan (where the Secretariat is)
			if v == "visit" then
				local f = best.u.f
				local pos, stop = f:find(best.c.pat)
				local after = f:sub(stop + 1, stop + 40)
				if f:find("cica headquarters") or after:find("^%s*to%s+astana") or after:find("^%s*to%s+kazakhstan")
				   or after:find("^%s*to%s+the%s+republic%s+of%s+kazakhstan") then
					v = "meeting"
				end
			end
			return v, z[3], ("\"%s\" in %s"):format(best.c.cue, excerpt(best.u.text)), best.u.line
		end
	end
	return "meeting", 0.4, "no event cue: a meeting by default", item.line
end

function M.format(item, units)
	local lead = lead_paras(item)
	local found
	for _, u in ipairs(units) do
		-- the lead, or any sentence that says how the item's event was held
		local held = u.para <= lead or u.f:find("%f[%a]held%f[%A]") or u.f:find("format") or u.f:find("convened")
		if held then
			for _, c in ipairs(lex.format) do
				if u.f:find(c.pat) and (not found or (c.value == "hybrid" and found.c.value ~= "hybrid")) then
					found = {c = c, u = u}
				end
			end
		end
		if found and found.c.value == "hybrid" then break end
	end
	if found then
		return found.c.value, 0.9, ("\"%s\": %s"):format(found.c.cue, excerpt(found.u.text)), found.u.line
	end
	return "in-person", 0.85, "no online or hybrid wording", item.line
end

------------------------------------------------------------------------ lead

-- Titles that belong to other bodies: the UN Secretary-General, the SCO's.
local function foreign_title(f, pos, stop)
	local before = f:sub(math.max(1, pos - 40), pos - 1)
	local after = f:sub(stop + 1, stop + 60)
	if before:find("un%s*$") or before:find("united nations%s*$") or before:find("%f[%a]sco%s*$")
	   or before:find("and%s*$") then
		return true
	end
	local of = after:match("^%s*of the ([%w%s%-]+)") or after:match("^%s*of ([%w%s%-]+)")
	if of and not of:find("^cica") and not of:find("^conference") and not of:find("^organization") then
		return true
	end
	-- "the Secretary General's proposals": mentioned, not acting
	if after:find("^'s") then return true end
	return false
end

-- Officials acting in one unit: {value =, rank =, pos =}.
local by_length
local function officials(u)
	local out, taken = {}, {}
	if not by_length then
		by_length = {}
		for k, c in ipairs(lex.lead) do by_length[k] = c end
		table.sort(by_length, function(a, b) return #a.cue > #b.cue end)
	end
	for _, c in ipairs(by_length) do
		local init = 1
		while true do
			local pos, stop = u.f:find(c.pat, init)
			if not pos then break end
			init = stop + 1
			local clash = false
			for _, t in ipairs(taken) do if pos <= t[2] and stop >= t[1] then clash = true end end
			if not clash then
				taken[#taken + 1] = {pos, stop}
				local plural = u.f:sub(stop + 1, stop + 1) == "s"
				if not plural and not foreign_title(u.f, pos, stop) then
					out[#out + 1] = {value = c.value, rank = c.weight, pos = pos, cue = c.cue}
				end
			end
		end
	end
	for _, o in ipairs(lex.officials) do
		local pos = u.f:find(o.pat)
		if pos then
			local rank = o.value == "SG" and 4 or o.value == "DSG" and 3 or 1
			out[#out + 1] = {value = o.value, rank = rank, pos = pos, cue = o.cue}
		end
	end
	return out
end

local function highest(list)
	local best
	for _, o in ipairs(list) do
		if not best or o.rank > best.rank or (o.rank == best.rank and o.pos < best.pos) then best = o end
	end
	return best
end

-- The official in the headline; else in the paragraph that names the headline's
-- activity; else the first paragraph that names one; the highest rank within.
function M.lead(item, units, ctx)
	local per_para, order = {}, {}
	for _, u in ipairs(units) do
		local os = officials(u)
		if #os > 0 then
			if not per_para[u.para] then per_para[u.para] = {}; order[#order + 1] = u.para end
			for _, o in ipairs(os) do o.u = u; table.insert(per_para[u.para], o) end
		end
	end
	local function answer(o, conf, why)
		return o.value, conf, ("%s: \"%s\" in %s"):format(why, o.cue, excerpt(o.u.text)), o.u.line
	end
	if per_para[0] then return answer(highest(per_para[0]), 0.9, "headline") end
	if ctx.type_cue then
		for _, p in ipairs(order) do
			if p > 0 then
				local text = fold(item.paras[p].text)
				if text:find(ctx.type_cue) then
					return answer(highest(per_para[p]), 0.75, "the paragraph on the " .. ctx.type_cue_text)
				end
			end
		end
	end
	if #order > 0 then
		local lead = lead_paras(item)
		local conf = order[1] <= lead and 0.8 or 0.6
		return answer(highest(per_para[order[1]]), conf, "first official named")
	end
	return "", 0.75, "no CICA official named", item.line
end

---------------------------------------------------------------- the others

local PEOPLE = {}
for w in ([[participants people representatives officials experts delegates guests attendees
	enthusiasts students diplomats journalists volunteers members specialists young]]):gmatch("%S+") do
	PEOPLE[w] = true
end

-- A stated number of participants: the last statement of one, not of an
-- earlier year's event.
function M.participants(item, units)
	local best
	for _, u in ipairs(units) do
		for pos, n, words in u.f:gmatch("()%f[%d](%d[%d,]*)%s+([%a%s%-]+)") do
			local w = {}
			for x in words:gmatch("%a+") do w[#w + 1] = x; if #w == 3 then break end end
			local hit = false
			for k = 1, #w do if PEOPLE[w[k]] then hit = true end end
			local past = u.f:find("%f[%d]20%d%d%f[%D]") and (u.f:find("first") or u.f:find("last year")
			             or u.f:find("previous"))
			local num = tonumber((n:gsub(",", "")))
			if hit and num and num >= 2 and num < 100000 and not past then
				best = {n = num, u = u}
			end
		end
	end
	if best then return tostring(best.n), 0.7, excerpt(best.u.text), best.u.line end
	return "", 0.8, "no number of participants", item.line
end

-- Partners: named in the headline or the lead, or met in a later sentence.
local MET = {"met with", "meeting with", "received", "talks with", "consultations with", "together with",
	"jointly with", "in cooperation with", "in collaboration with", "co-organi", "organized by", "organised by"}

function M.organizations(item, units)
	local lead = lead_paras(item)
	local found, order, ev, line = {}, {}, {}, nil
	for _, u in ipairs(units) do
		local ok = u.para <= lead
		if not ok then
			for _, m in ipairs(MET) do if u.f:find(m, 1, true) then ok = true; break end end
		end
		if ok then
			local hits = {}
			for _, o in ipairs(lex.orgs) do
				local pos = u.f:find(o.pat)
				-- "UN" matches only where the text writes it in capitals
				if pos and o.cue == "un" and not u.text:find("%f[%w]UN%f[%W]") then pos = nil end
				if pos and o.cue == "un" and (u.f:find("un women") or u.f:find("un office on drugs")) then pos = nil end
				if pos and not found[o.value] then hits[#hits + 1] = {o = o, pos = pos} end
			end
			table.sort(hits, function(a, b) return a.pos < b.pos end)
			for _, h in ipairs(hits) do
				if not found[h.o.value] then
					found[h.o.value] = true
					order[#order + 1] = h.o.value
					ev[#ev + 1] = h.o.value .. ": \"" .. h.o.cue .. "\""
					line = line or u.line
				end
			end
		end
	end
	return table.concat(order, ";"), #order > 0 and 0.6 or 0.7, #ev > 0 and table.concat(ev, "; ") or "no partner named",
	       line or item.line
end

-- Acronyms the text defines, "Shanghai Institutes for International Studies
-- (SIIS)", in the sentences where partners count; not CICA's own bodies and
-- terms, not state bodies (a ministry, a bureau, a committee of a government).
local OWN = {}
for w in ([[CICA SOC SWG RMT CBM CBMS ICT ICTS SDG SDGS SME SMES MFA UNGA TTF CPC RATS EU USA UK UAE
	PRC DPRK ROK GDP COVID HIV AIDS]]):gmatch("%S+") do OWN[w] = true end
local STATE = {"ministry", "ministries", "bureau", "committee", "government", "agency", "department", "police",
	"akimat", "embassy", "administration", "parliament", "council of ministers", "national bank", "office of the president"}

function M.acronyms(item, units, known)
	local lead = lead_paras(item)
	local out = {}
	for _, u in ipairs(units) do
		local ok = u.para <= lead
		if not ok then
			for _, m in ipairs(MET) do if u.f:find(m, 1, true) then ok = true; break end end
		end
		if ok then
			for before, acr in u.text:gmatch("([^%(]-)%s*%((%u[%u&]+)%)") do
				local name = fold(before:match("([^,;]*)$") or "")
				local state = false
				for _, w in ipairs(STATE) do if name:find(w, 1, true) then state = true end end
				if #acr >= 2 and #acr <= 8 and not OWN[acr] and not state and not known[acr] then
					known[acr] = true
					out[#out + 1] = acr
				end
			end
		end
	end
	return out
end

-- Is the text English? The share of its words that are the commonest English ones.
function M.english(text)
	local common = {the = 1, ["of"] = 1, ["and"] = 1, to = 1, ["in"] = 1, a = 1, ["on"] = 1, ["for"] = 1,
		with = 1, ["is"] = 1, was = 1, by = 1, as = 1, at = 1, that = 1, were = 1, from = 1}
	local n, hits = 0, 0
	for w in fold(text):gmatch("%a+") do
		n = n + 1
		if common[w] then hits = hits + 1 end
		if n >= 3000 then break end
	end
	return n == 0 or hits / n >= 0.12, n > 0 and hits / n or 0
end

-- Codes one item: the record and, per field, {value, confidence, evidence, line}.
function M.code(item, ctx)
	local units = M.units(item)
	local cells = {}
	local function put(field, v, c, e, l) cells[field] = {value = v or "", conf = c, evidence = e, line = l} end
	put("date", M.date(item, units, ctx))
	put("title", item.headline, 0.9, item.kind == "photo" and "the caption" or "the headline", item.line)
	put("event_type", M.event_type(item, units, ctx))
	put("format", M.format(item, units))
	local sub = {event_type = cells.event_type.value, format = cells.format.value}
	-- the lead is sought first near the cue that named the event type
	for _, c in ipairs(lex.event_type) do
		if c.value == sub.event_type and units[1].f:find(c.pat) then
			sub.type_cue, sub.type_cue_text = c.pat, c.cue
			break
		end
	end
	put("dimension", M.dimension(item, units, sub))
	put("countries", M.countries(item, units, sub))
	put("organizations", M.organizations(item, units))
	do   -- partners the data file does not know, by the acronym the text gives them
		local o = cells.organizations
		local known = {}
		for v in o.value:gmatch("[^;]+") do known[v] = true end
		for _, l in ipairs(lex.orgs) do if known[l.value] then known[l.cue:upper()] = true end end
		local extra = M.acronyms(item, units, known)
		if #extra > 0 then
			o.value = o.value .. (o.value ~= "" and ";" or "") .. table.concat(extra, ";")
			o.evidence = o.evidence .. "; acronyms the text defines: " .. table.concat(extra, ", ")
			o.conf = 0.5
		end
	end
	put("lead", M.lead(item, units, sub))
	put("participants", M.participants(item, units))
	put("kind", item.kind, 0.9, item.kind == "photo" and "a caption after the last article" or "an article", item.line)
	return cells
end

return M
