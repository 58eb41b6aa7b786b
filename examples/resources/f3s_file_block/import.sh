# HOST:PATH:NAME; the comment prefix of the markers is read from the file.
terraform import f3s_file_block.exports f0:/etc/exports:f3s-nfs
