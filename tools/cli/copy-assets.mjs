console.log("copy-assets placeholder")
