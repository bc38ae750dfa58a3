-- The oracle's datasets: seeded random digests, written twice: as the CSV a user
-- would hand tally (aliases, diacritics, duplicate and empty list values, dates of
-- every precision, quoted fields with commas, quotes and newlines) and as SQL
-- inserts of what the CSV means (canonical names, one row per item and value),
-- written from this generator's own knowledge, never from tally's.
--   tally run --unsafe tests/oracle/gen.lua -- DIR FIRST LAST
-- writes DIR/SEED.csv and DIR/SEED.sql for each seed FIRST..LAST.
local dir, first, last = arg[1], tonumber(arg[2]), tonumber(arg[3])

-- xorshift64: the same datasets on every machine, whatever Lua's math.random does
local state
local function seed(s)
	state = (s + 1) * 0x9E3779B97F4A7C15
	if state == 0 then state = 1 end
end
local function rnd()
	state = state ~ (state << 13)
	state = state ~ (state >> 7)
	state = state ~ (state << 17)
	return state
end
local function rint(a, b) return a + ((rnd() >> 1) % (b - a + 1)) end
local function pick(t) return t[rint(1, #t)] end

-- the cell as written -> what it means (aliases as data/country-aliases.tsv and
-- iso-codes accept them)
local COUNTRIES = {
	{"Kazakhstan", "Kazakhstan"}, {"KAZ", "Kazakhstan"}, {"Türkiye", "Türkiye"}, {"Turkey", "Türkiye"},
	{"China", "China"}, {"India", "India"}, {"Russia", "Russian Federation"},
	{"Russian Federation", "Russian Federation"}, {"Viet Nam", "Viet Nam"}, {"Iran", "Iran"},
	{"Côte d'Ivoire", "Côte d'Ivoire"}, {"Korea, Republic of", "Republic of Korea"},
	{"UAE", "United Arab Emirates"}, {"Azerbaijan", "Azerbaijan"},
}
local DIMENSIONS = {
	{"economic", "economic"}, {"Economic", "economic"}, {"human", "human"}, {"Human Dimension", "human"},
	{"NCT", "new-challenges-and-threats"}, {"institutional", "institutional"},
	{"environmental", "environmental"}, {"military-political", "military-political"}, {"", nil},
}
local ORGS = {"UN", "ESCAP", "UN, Geneva office", 'The "Astana" Forum', "SCO", "OSCE"}
local LEADS = {"SG", "DSG", "Expert", ""}
local WORDS = {"visit", "talks, round two", 'the "Silk Road" forum', "line one\nline two", "Almaty", "meeting"}

local function csv(s)
	if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
	return s
end
local function sql(s) return s == nil and "NULL" or "'" .. s:gsub("'", "''") .. "'" end

-- A date of some precision within 2023, or none: its cell and its meaning.
local function date()
	local kind, m = rint(1, 20), rint(1, 9)
	local q = (m - 1) // 3 + 1
	if kind <= 8 then
		local d = rint(1, 28)
		return ("2023-%02d-%02d"):format(m, d), "day", m, q
	elseif kind <= 13 then
		return ("2023-%02d"):format(m), "month", m, q
	elseif kind <= 15 then
		return ("2023-Q%d"):format(q), "quarter", nil, q
	elseif kind == 16 then
		return ("2023Q%d"):format(q), "quarter", nil, q
	elseif kind == 17 then
		return "2023", "year", nil, nil
	end
	return "", nil, nil, nil
end

-- A list cell of 0-4 values (sometimes one twice, sometimes spaced), and the
-- distinct values it means.
local function list(pool, maxn, mean)
	local cells, means, seen = {}, {}, {}
	for _ = 1, rint(0, maxn) do
		local e = pick(pool)
		local cell, m = mean and e[1] or e, mean and e[2] or e
		cells[#cells + 1] = rint(1, 4) == 1 and (" " .. cell .. " ") or cell
		if not seen[m] then
			seen[m] = true
			means[#means + 1] = m
		end
	end
	return table.concat(cells, ";"), means
end

for s = first, last do
	seed(s)
	local rows, ins = {"id,date,title,dimension,countries,organizations,event_type,format,lead,participants,kind"}, {}
	for id = 1, rint(4, 40) do
		local dcell, prec, m, q = date()
		local dim = pick(DIMENSIONS)
		local ccell, cs = list(COUNTRIES, 4, true)
		local ocell, os_ = list(ORGS, 3, false)
		local lead = pick(LEADS)
		local title = pick(WORDS) .. " " .. id
		rows[#rows + 1] = table.concat({id, dcell, csv(title), dim[1], csv(ccell), csv(ocell), "meeting",
			pick{"online", "in-person", "hybrid"}, lead, rint(1, 3) == 1 and tostring(rint(5, 200)) or "",
			pick{"article", "photo"}}, ",")
		ins[#ins + 1] = ("INSERT INTO items VALUES (%d, %s, %s, %s, %s, %s, %s);"):format(id, sql(prec),
			prec and "2023" or "NULL", m or "NULL", q or "NULL", sql(dim[2]), sql(lead ~= "" and lead or nil))
		for _, c in ipairs(cs) do ins[#ins + 1] = ("INSERT INTO countries VALUES (%d, %s);"):format(id, sql(c)) end
		for _, o in ipairs(os_) do ins[#ins + 1] = ("INSERT INTO orgs VALUES (%d, %s);"):format(id, sql(o)) end
	end
	local f = assert(io.open(("%s/%d.csv"):format(dir, s), "w"))
	f:write(table.concat(rows, "\n"), "\n")
	f:close()
	f = assert(io.open(("%s/%d.sql"):format(dir, s), "w"))
	f:write(table.concat(ins, "\n"), "\n")
	f:close()
end
