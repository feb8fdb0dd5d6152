"""The pasted URL: pasted text to one URL (`paste`), read and repaired (`parse`), the suggested URL
(`suggest`), the token masked in any text (`masking`), and the hosts allowed although private
(`allow_list`). No HTTP library and no pandas here: checking a URL stays quick to start."""
