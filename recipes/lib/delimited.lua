-- Reading CSV/TSV lists for batch recipes: RFC 4180 quoting ("a, b", "say ""hi"""), a header row naming columns.
local M = {}

--- Splits `text` into rows of fields. `sep` is "," or "\t". Quoted fields may hold separators, newlines and
--- doubled quotes. Returns the rows and, for each, the line it started on.
function M.parse(text, sep)
  local rows, lines = {}, {}
  local row, field, i, n, line = {}, {}, 1, #text, 1
  local row_line = 1
  local quoted = false
  while i <= n do
    local c = text:sub(i, i)
    if quoted then
      if c == '"' then
        if text:sub(i + 1, i + 1) == '"' then
          field[#field + 1] = '"'
          i = i + 1
        else
          quoted = false
        end
      else
        if c == "\n" then line = line + 1 end
        field[#field + 1] = c
      end
    elseif c == '"' and #field == 0 then
      quoted = true
    elseif c == sep then
      row[#row + 1] = table.concat(field)
      field = {}
    elseif c == "\n" or c == "\r" then
      if c == "\r" and text:sub(i + 1, i + 1) == "\n" then i = i + 1 end
      row[#row + 1] = table.concat(field)
      field = {}
      if not (#row == 1 and row[1] == "") then
        rows[#rows + 1], lines[#lines + 1] = row, row_line
      end
      row = {}
      line = line + 1
      row_line = line
    else
      field[#field + 1] = c
    end
    i = i + 1
  end
  if quoted then return nil, string.format("line %d: a quoted field is not closed", row_line) end
  if #field > 0 or #row > 0 then
    row[#row + 1] = table.concat(field)
    rows[#rows + 1], lines[#lines + 1] = row, row_line
  end
  return rows, lines
end

--- Reads a .csv or .tsv file (by extension; anything else: tab if the first line has one, else comma) whose
--- first row names the columns. Returns a list of records {line=, fields by column name} or nil, error.
function M.read(path, text)
  local sep = path:match("%.tsv$") and "\t" or (path:match("%.csv$") and ",")
  if not sep then sep = (text:match("^[^\n]*") or ""):find("\t", 1, true) and "\t" or "," end
  local rows, lines = M.parse(text, sep)
  if not rows then return nil, lines end
  if #rows == 0 then return nil, "the file is empty" end
  local header = {}
  for k, name in ipairs(rows[1]) do header[k] = name:gsub("^%s+", ""):gsub("%s+$", ""):lower() end
  local records = {}
  for r = 2, #rows do
    local rec = { line = lines[r], extra = #rows[r] > #header }
    for k, name in ipairs(header) do rec[name] = rows[r][k] end
    records[#records + 1] = rec
  end
  return records, header
end

return M
