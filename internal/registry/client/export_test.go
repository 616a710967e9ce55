package client

// SetPageSize makes c read lists in pages of n, so that tests see it follow cursors without
// thousands of items.
func SetPageSize(c *Client, n int) { c.pageSize = n }
