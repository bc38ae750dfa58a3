-- RFC 4180 reading and writing, as data/README.md describes the files: a field
-- with a comma, a quote or a line end is quoted and its quotes doubled.
local M = {}

function M.field(v)
	v = tostring(v or "")
	if v:find('[,"\n\r]') then return '"' .. v:gsub('"', '""') .. '"' end
	return v
end

function M.line(values)
	local t = {}
	for i, v in ipairs(values) do t[i] = M.field(v) end
	return table.concat(t, ",") .. "\n"
end

-- Rows of a file as lists of strings; nil and a message naming the line.
function M.parse(text, name)
	local rows, row, field = {}, {}, {}
	local i, n, line = 1, #text, 1
	local quoted = false
	if text:sub(1, 3) == "\239\187\191" then i = 4 end
	while i <= n do
		local c = text:sub(i, i)
		if quoted then
			if c == '"' then
				if text:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"'; i = i + 1
				else quoted = false end
			else
				if c == "\n" then line = line + 1 end
				field[#field + 1] = c
			end
		elseif c == '"' and #field == 0 then
			quoted = true
		elseif c == "," then
			row[#row + 1] = table.concat(field); field = {}
		elseif c == "\n" or c == "\r" then
			if c == "\r" and text:sub(i + 1, i + 1) == "\n" then i = i + 1 end
			row[#row + 1] = table.concat(field); field = {}
			rows[#rows + 1] = row; row = {}
			line = line + 1
		else
			field[#field + 1] = c
		end
		i = i + 1
	end
	if quoted then return nil, ("%s:%d: a quoted field is not closed"):format(name, line) end
	if #field > 0 or #row > 0 then row[#row + 1] = table.concat(field); rows[#rows + 1] = row end
	return rows
end

-- A file as records keyed by its header; nil and a message.
function M.read(path)
	local f, err = io.open(path)
	if not f then return nil, err end
	local text = f:read("a")
	f:close()
	local rows, msg = M.parse(text, path)
	if not rows then return nil, msg end
	local header = table.remove(rows, 1)
	if not header then return nil, path .. ": empty file" end
	local recs = {}
	for k, r in ipairs(rows) do
		if not (#r == 1 and r[1] == "") then
			local rec = {}
			for j, h in ipairs(header) do rec[h] = r[j] or "" end
			rec._line = k + 1
			recs[#recs + 1] = rec
		end
	end
	return recs, header
end

return M
