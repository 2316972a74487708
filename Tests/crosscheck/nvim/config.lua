-- A minimal Neovim configuration that starts `regimen lsp` with Neovim's built-in client for
-- the file given on the command line, waits for its diagnostics and writes them as JSON.
-- Used by nvim_lsp.py: REGIMEN_BINARY is the server, REGIMEN_OUT the file to write.
local binary = os.getenv("REGIMEN_BINARY")
local out = os.getenv("REGIMEN_OUT")

local function finish(result)
  local file = io.open(out, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local buffer = vim.api.nvim_get_current_buf()
    local path = vim.api.nvim_buf_get_name(buffer)
    -- start_client and buf_attach_client: Debian's Neovim 0.7 has no vim.lsp.start yet.
    local client = vim.lsp.start_client({
      name = "regimen",
      cmd = { binary, "lsp" },
      root_dir = vim.fn.fnamemodify(path, ":h"),
    })
    if client then vim.lsp.buf_attach_client(buffer, client) end
    local found = vim.wait(20000, function() return #vim.diagnostic.get(buffer) > 0 end, 50)
    local diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(buffer)) do
      table.insert(diagnostics, { lnum = d.lnum, col = d.col, code = d.code, severity = d.severity, message = d.message })
    end
    finish({ client = client ~= nil, found = found, diagnostics = diagnostics })
  end,
})
